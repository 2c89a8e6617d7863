-- The dashboard's settings from models/dashboard.yml (one row): what the site may show and how it opens.
with settings as (
    select * from {{ source('config', 'dashboard') }}
),

final as (
    select
        show_contact_details,
        default_language,
        campaign_customers_per_segment,
    from settings
)

select * from final

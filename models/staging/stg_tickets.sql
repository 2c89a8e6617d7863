with source as (
    select * from {{ source('raw', 'tickets') }}
),

renamed as (
    select
        trim(ticket_id) as ticket_id,
        trim(customer_id) as customer_id,
        opened_date,
        nullif(trim(category), '') as ticket_category,
        nullif(trim(priority), '') as ticket_priority,
        nullif(trim(status), '') as ticket_status,
    from source
),

final as (
    select * from renamed
)

select * from final

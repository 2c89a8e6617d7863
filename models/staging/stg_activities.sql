with source as (
    select * from {{ source('raw', 'activities') }}
),

renamed as (
    select
        trim(activity_id) as activity_id,
        trim(customer_id) as customer_id,
        activity_date,
        nullif(trim(activity_type), '') as activity_type,
        nullif(trim(owner), '') as owner_name,
        nullif(trim(note), '') as note,
    from source
),

final as (
    select * from renamed
)

select * from final

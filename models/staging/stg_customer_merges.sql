with customers as (
    select * from {{ source('raw', 'customers') }}
),

merged as (
    -- a record merged into another (Salesforce MasterRecordId): its orders, deals and follow-ups belong to the survivor
    select
        source_system,
        trim(customer_id) as merged_customer_id,
        trim(merged_into_id) as surviving_customer_id,
    from customers
    where nullif(trim(merged_into_id), '') is not null
),

final as (
    select * from merged
)

select * from final

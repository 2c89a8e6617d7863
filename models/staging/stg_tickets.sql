with source as (
    select * from {{ source('raw', 'tickets') }}
),

customer_merges as (
    select * from {{ ref('stg_customer_merges') }}
),

renamed as (
    select
        trim(source.ticket_id) as ticket_id,
        coalesce(customer_merges.surviving_customer_id, trim(source.customer_id)) as customer_id,
        hash(source.source_system, coalesce(customer_merges.surviving_customer_id, trim(source.customer_id))) as customer_key,
        source.source_system,
        source.source_id,
        source.opened_date,
        nullif(trim(source.category), '') as ticket_category,
        nullif(trim(source.priority), '') as ticket_priority,
        nullif(trim(source.status), '') as ticket_status,
    from source
    left join customer_merges
        on customer_merges.source_system = source.source_system
        and customer_merges.merged_customer_id = trim(source.customer_id)
    -- deleted records stay in the raw table, flagged; they are not counted
    where not coalesce(source.is_deleted, false)
),

final as (
    select * from renamed
)

select * from final

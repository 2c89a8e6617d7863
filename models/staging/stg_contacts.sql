with source as (
    select * from {{ source('raw', 'contacts') }}
),

customer_merges as (
    select * from {{ ref('stg_customer_merges') }}
),

renamed as (
    select
        trim(source.contact_id) as contact_id,
        coalesce(customer_merges.surviving_customer_id, trim(source.customer_id)) as customer_id,
        case when nullif(trim(source.customer_id), '') is not null
            then hash(source.source_system, coalesce(customer_merges.surviving_customer_id, trim(source.customer_id)))
        end as customer_key,
        source.source_system,
        source.source_id,
        nullif(trim(source.contact_name), '') as contact_name,
        nullif(trim(source.title), '') as job_title,
        nullif(trim(source.email), '') as email,
        nullif(trim(source.phone), '') as phone,
        nullif(trim(source.lifecycle_stage), '') as crm_lifecycle_stage,
        source.created_date,
        source.became_customer_date,
        source.became_lead_date,
        source.became_opportunity_date,
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

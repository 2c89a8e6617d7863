with source as (
    select * from {{ source('raw', 'surveys') }}
),

customer_merges as (
    select * from {{ ref('stg_customer_merges') }}
),

renamed as (
    select
        trim(source.survey_id) as survey_id,
        coalesce(customer_merges.surviving_customer_id, trim(source.customer_id)) as customer_id,
        hash(source.source_system, coalesce(customer_merges.surviving_customer_id, trim(source.customer_id))) as customer_key,
        source.source_system,
        source.source_id,
        source.survey_date,
        nullif(trim(source.satisfaction), '') as satisfaction_label,
        nullif(trim(source.satisfaction_raw), '') as satisfaction_raw,
        cast(source.nps_score as integer) as nps_score,
    from source
    left join customer_merges
        on customer_merges.source_system = source.source_system
        and customer_merges.merged_customer_id = trim(source.customer_id)
    -- deleted records stay in the raw table, flagged; they are not counted
    where not coalesce(source.is_deleted, false)
),

final as (
    select
        *,
        case satisfaction_label
            when '很满意' then 5
            when '满意' then 4
            when '一般' then 3
            when '不满意' then 2
            when '很不满意' then 1
        end as satisfaction_score,
        case
            when nps_score >= 9 then 'promoter'
            when nps_score >= 7 then 'passive'
            when nps_score >= 0 then 'detractor'
        end as nps_group,
    from renamed
)

select * from final

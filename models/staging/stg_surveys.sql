with source as (
    select * from {{ source('raw', 'surveys') }}
),

renamed as (
    select
        trim(survey_id) as survey_id,
        trim(customer_id) as customer_id,
        survey_date,
        nullif(trim(satisfaction), '') as satisfaction_label,
        cast(nps_score as integer) as nps_score,
    from source
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

-- Every scheme's segments as configured, with labels in English and Chinese, for legends and joins.
with segments as (
    select * from {{ source('config', 'segments') }}
),

final as (
    select
        scheme_code,
        scheme,
        scheme_label_en,
        scheme_label_zh,
        segment_rank,
        segment,
        segment_zh,
        min_value,
    from segments
    where scheme_enabled
)

select * from final

with source as (
    select * from {{ source('raw', 'referrals') }}
),

customer_merges as (
    select * from {{ ref('stg_customer_merges') }}
),

renamed as (
    select
        trim(source.referral_id) as referral_id,
        coalesce(merges_0.surviving_customer_id, trim(source.referrer_customer_id)) as referrer_customer_id,
        hash(source.source_system, coalesce(merges_0.surviving_customer_id, trim(source.referrer_customer_id))) as referrer_customer_key,
        coalesce(merges_1.surviving_customer_id, trim(source.referred_customer_id)) as referred_customer_id,
        hash(source.source_system, coalesce(merges_1.surviving_customer_id, trim(source.referred_customer_id))) as referred_customer_key,
        source.source_system,
        source.source_id,
        source.referral_date,
    from source
    left join customer_merges as merges_0
        on merges_0.source_system = source.source_system
        and merges_0.merged_customer_id = trim(source.referrer_customer_id)
    left join customer_merges as merges_1
        on merges_1.source_system = source.source_system
        and merges_1.merged_customer_id = trim(source.referred_customer_id)
    -- deleted records stay in the raw table, flagged; they are not counted
    where not coalesce(source.is_deleted, false)
),

final as (
    select * from renamed
)

select * from final

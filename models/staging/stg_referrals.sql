with source as (
    select * from {{ source('raw', 'referrals') }}
),

renamed as (
    select
        trim(referral_id) as referral_id,
        trim(referrer_customer_id) as referrer_customer_id,
        trim(referred_customer_id) as referred_customer_id,
        referral_date,
    from source
),

final as (
    select * from renamed
)

select * from final

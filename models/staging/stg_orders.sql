with source as (
    select * from {{ source('raw', 'orders') }}
),

renamed as (
    select
        trim(order_id) as order_id,
        trim(customer_id) as customer_id,
        hash(trim(customer_id)) as customer_key,
        order_date,
        nullif(trim(product_category), '') as product_category,
        cast(coalesce(quantity, 1) as integer) as quantity,
        amount_cny,
        coalesce(discount_cny, 0) as discount_cny,
        trim(status) as order_status,
        _source_file as source_file,
        _row_number as source_row_number,
    from source
),

final as (
    select
        *,
        -- only completed orders count as revenue; cancelled and refunded ones are kept for service metrics
        order_status = 'completed' as is_revenue,
        discount_cny > 0 as is_discounted,
    from renamed
)

select * from final

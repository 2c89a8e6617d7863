with source as (
    select * from {{ source('raw', 'orders') }}
),

renamed as (
    select
        trim(order_id) as order_id,
        trim(customer_id) as customer_id,
        cast(trim(order_date) as date) as order_date,
        nullif(trim(product_category), '') as product_category,
        coalesce(cast(nullif(trim(quantity), '') as integer), 1) as quantity,
        cast(trim(amount_cny) as decimal(18, 2)) as amount_cny,
        coalesce(cast(nullif(trim(discount_cny), '') as decimal(18, 2)), 0) as discount_cny,
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

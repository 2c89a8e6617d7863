with orders as (
    select * from {{ source('raw', 'orders') }}
),

deals as (
    select * from {{ source('raw', 'deals') }}
),

customer_merges as (
    select * from {{ ref('stg_customer_merges') }}
),

systems_with_orders as (
    -- read on its own rather than from `orders`: a CTE used twice would be materialized, copying every order
    select distinct source_system from {{ source('raw', 'orders') }}
),

won_deals as (
    -- a CRM that exports no orders (HubSpot, Salesforce, Zoho) books its revenue as won deals
    select
        deal_id as order_id,
        customer_id,
        coalesce(close_date, created_date) as order_date,
        cast(null as varchar) as product_category,
        cast(null as bigint) as quantity,
        amount_cny,
        cast(null as decimal(18, 2)) as discount_cny,
        'completed' as status,
        source_system,
        source_id,
        is_deleted,
        _source_file,
        _row_number,
        'deal' as source_record_type,
    from deals
    where stage = 'won'
      and amount_cny is not null
      and source_system not in (select source_system from systems_with_orders)
),

all_orders as (
    select
        order_id, customer_id, order_date, product_category, quantity, amount_cny, discount_cny, status,
        source_system, source_id, is_deleted, _source_file, _row_number,
        'order' as source_record_type,
    from orders
    union all
    select * from won_deals
),

renamed as (
    select
        trim(all_orders.order_id) as order_id,
        coalesce(customer_merges.surviving_customer_id, trim(all_orders.customer_id)) as customer_id,
        hash(all_orders.source_system, coalesce(customer_merges.surviving_customer_id, trim(all_orders.customer_id))) as customer_key,
        all_orders.source_system,
        all_orders.source_id,
        all_orders.source_record_type,
        all_orders.order_date,
        nullif(trim(all_orders.product_category), '') as product_category,
        cast(coalesce(all_orders.quantity, 1) as integer) as quantity,
        all_orders.amount_cny,
        coalesce(all_orders.discount_cny, 0) as discount_cny,
        trim(all_orders.status) as order_status,
        all_orders._source_file as source_file,
        all_orders._row_number as source_row_number,
    from all_orders
    left join customer_merges
        on customer_merges.source_system = all_orders.source_system
        and customer_merges.merged_customer_id = trim(all_orders.customer_id)
    -- deleted records stay in the raw table, flagged; they are not orders
    where not coalesce(all_orders.is_deleted, false)
),

final as (
    select
        *,
        -- only completed orders count as revenue; cancelled, refunded and pending ones are kept for service metrics
        order_status = 'completed' as is_revenue,
        discount_cny > 0 as is_discounted,
    from renamed
)

select * from final

with models as (
    select * from {{ source('clv', 'fitted_models') }}
),

summary as (
    select * from {{ ref('int_customers_clv_summarized') }}
),

splits as (
    select
        split,
        any_value(calibration_end_date) as calibration_end_date,
        any_value(holdout_end_date) as holdout_end_date,
        any_value(time_unit) as time_unit,
    from summary
    group by split
),

fits as (
    select
        split,
        model,
        string_agg(parameter || '=' || round(value, 4), ' ' order by parameter) as parameters,
        any_value(log_likelihood) as log_likelihood,
        any_value(customers) as customers,
        any_value(converged) as converged,
        any_value(iterations) as iterations,
        any_value(method) as method,
        any_value(warning) as warning,
        any_value(fitted_at) as fitted_at,
    from models
    group by split, model
),

final as (
    select
        fits.split,
        fits.model,
        fits.parameters,
        fits.log_likelihood,
        fits.customers,
        fits.converged,
        fits.iterations,
        fits.method,
        fits.warning,
        splits.time_unit,
        splits.calibration_end_date,
        splits.holdout_end_date,
        fits.fitted_at,
    from fits
    inner join splits on splits.split = fits.split
)

select * from final

-- The fitted CLV models (mart clv_model_fit).
select split, model, parameters, log_likelihood as log_likelihood_num1, customers as customers_num0, converged, coalesce(warning, '') as warning
from warehouse.clv_model_fit
order by split, model

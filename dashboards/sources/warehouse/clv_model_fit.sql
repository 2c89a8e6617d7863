-- Mart clv_model_fit: per split and model the fitted parameters (a handful of rows).
select split, model, parameters, log_likelihood, customers, converged, iterations, warning, time_unit, calibration_end_date, fitted_at
from clv_model_fit

-- Mart dashboard_settings: one row, the settings from models/dashboard.yml (language, contact details, list size).
select show_contact_details, default_language, campaign_customers_per_segment from dashboard_settings

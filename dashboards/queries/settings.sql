-- The dashboard settings (models/dashboard.yml via the mart dashboard_settings): default language, contact details.
select default_language, show_contact_details, campaign_customers_per_segment from warehouse.dashboard_settings

-- Regions, channels and customer types of the campaign segments, for the filters.
select distinct 'region' as dimension, region as dimension_value from warehouse.campaign_segments
union all
select distinct 'channel', channel from warehouse.campaign_segments
union all
select distinct 'customer_type', customer_type from warehouse.campaign_segments
order by dimension, dimension_value

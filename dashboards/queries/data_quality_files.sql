-- Every file of the latest load: read = loaded + quarantined.
select
    file_name,
    source,
    'raw_' || table_name as raw_table,
    rows_read as rows_read_num0,
    rows_loaded as rows_loaded_num0,
    rows_quarantined as rows_quarantined_num0,
    rows_quarantined / nullif(rows_read, 0) as quarantined_share_pct1
from warehouse.load_files
order by rows_read desc

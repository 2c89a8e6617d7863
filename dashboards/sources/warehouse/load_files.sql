-- Files of the latest load with their reconciliation (a few rows: one per file read).
select
    load_id,
    source,
    table_name,
    regexp_extract(file, '[^/\\]+$') as file_name,
    file_bytes,
    rows_read,
    rows_loaded,
    rows_quarantined,
    loaded_at
from load_files
where load_id = (select arg_max(load_id, loaded_at) from load_files)

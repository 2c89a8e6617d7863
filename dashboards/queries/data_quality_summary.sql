-- Headline numbers of the latest load and run.
select
    strftime(max(loaded_at), '%Y-%m-%d %H:%M') as loaded_label,
    count(*) as files_num0,
    sum(rows_read) as rows_read_num0,
    sum(rows_loaded) as rows_loaded_num0,
    sum(rows_quarantined) as rows_quarantined_num0,
    sum(rows_quarantined) / nullif(sum(rows_read), 0) as quarantined_share_pct1,
    (select count(*) from warehouse.data_test_results where model is not null and status = 'pass') as tests_passed_num0,
    (select count(*) from warehouse.data_test_results where model is not null and status <> 'pass') as tests_failed_num0
from warehouse.load_files

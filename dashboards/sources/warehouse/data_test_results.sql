-- The data tests of the latest pipeline run: one row per test (a few hundred at most), and a total row (model null)
-- that is always there: Evidence writes no file for an empty result, and a page asking for a missing one logs an error.
select
    model,
    column_name,
    test,
    status,
    sum(failures) as failures,
    count(*) as tests
from data_test_results
where run_id = (select run_id from warehouse_runs order by finished_at desc limit 1)
group by grouping sets ((model, column_name, test, status), ())

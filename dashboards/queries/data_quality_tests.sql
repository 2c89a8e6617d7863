-- Data tests of the latest run: failures first, then one line per model with its passing tests counted.
select
    model,
    count(*) filter (where status = 'pass') as passed_num0,
    count(*) filter (where status <> 'pass') as failed_num0,
    coalesce(string_agg(test || coalesce(' on ' || column_name, ''), '; ') filter (where status <> 'pass'), '') as failing_tests
from warehouse.data_test_results
where model is not null
group by model
order by failed_num0 desc, model

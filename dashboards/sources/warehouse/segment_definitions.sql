-- Mart segment_definitions: every segment of every enabled scheme, with English and Chinese names.
select scheme_code, scheme, scheme_label_en, scheme_label_zh, segment_rank, segment, segment_zh, min_value from segment_definitions

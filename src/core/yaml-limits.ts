// One alias-expansion limit for every YAML document the product reads (the repo config, state files,
// scenarios, and the safety check's re-read): anchors shared a few times are fine, a "billion laughs"
// bomb is refused the same way wherever it appears. The yaml library's own default.
export const YAML_MAX_ALIAS_COUNT = 100;

curl -sS 'https://gw.example/api/llm/chat/completions?trace=1' \
  --no-buffer \
  -H "Authorization: Bearer $TFY_API_KEY" \
  -H 'Content-Type: application/json' \
  -H 'x-tfy-metadata: {"team":"platform","it'\''s":"quoted"}' \
  -H 'x-tfy-retry-config: {"attempts":2,"onStatusCodes":[429,503]}' \
  -H 'x-tfy-request-timeout: 30000' \
  -H "x-api-key: $X_API_KEY" \
  --data-raw '{"model":"openai-main/gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"It'\''s \"quoted\"\nand $HOME"}],"temperature":0.25}'

import os

from openai import OpenAI

client = OpenAI(
    base_url="https://gw.example/api/llm",
    api_key=os.environ["TFY_API_KEY"],
)

response = client.chat.completions.create(
    model="openai-main/gpt-4o-mini",
    stream=True,
    messages=[
        {
            "role": "user",
            "content": "It's \"quoted\"\nand $HOME",
        },
    ],
    temperature=0.25,
    extra_headers={
        "x-tfy-metadata": "{\"team\":\"platform\",\"it's\":\"quoted\"}",
        "x-tfy-retry-config": "{\"attempts\":2,\"onStatusCodes\":[429,503]}",
        "x-tfy-request-timeout": "30000",
        "x-api-key": os.environ["X_API_KEY"],
    },
    extra_query={"trace": "1"},
)
for chunk in response:
    if chunk.choices and chunk.choices[0].delta.content:
        print(chunk.choices[0].delta.content, end="", flush=True)
print()

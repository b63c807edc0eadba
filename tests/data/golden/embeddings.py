import os

from openai import OpenAI

client = OpenAI(
    base_url="https://gw.example/api/llm",
    api_key=os.environ["TFY_API_KEY"],
)

response = client.embeddings.create(
    model="openai-main/text-embedding-3-small",
    input=[
        "a",
        "b",
    ],
)
print(response)

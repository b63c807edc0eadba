import OpenAI from "openai";

const client = new OpenAI({
  baseURL: "https://gw.example/api/llm",
  apiKey: process.env.TFY_API_KEY,
});

const response = await client.chat.completions.create(
  {
    "model": "openai-main/gpt-4o-mini",
    "stream": true,
    "messages": [
      {
        "role": "user",
        "content": "It's \"quoted\"\nand $HOME",
      },
    ],
    "temperature": 0.25,
  },
  {
    headers: {
      "x-tfy-metadata": "{\"team\":\"platform\",\"it's\":\"quoted\"}",
      "x-tfy-retry-config": "{\"attempts\":2,\"onStatusCodes\":[429,503]}",
      "x-tfy-request-timeout": "30000",
      "x-api-key": process.env.X_API_KEY,
    },
    query: {"trace": "1"},
  },
);
for await (const chunk of response) {
  process.stdout.write(chunk.choices[0]?.delta?.content ?? "");
}
process.stdout.write("\n");

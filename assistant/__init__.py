"""Settings, prompts, the conversational retrieval chain, answer backends, citations, API, CLI."""

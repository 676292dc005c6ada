//! The worked examples shown at the end of every `--help` and in the man
//! pages' EXAMPLES sections; the README mirrors them. A leaf module, so the
//! CLI definition and the docs generator can both read it.

/// Worked examples, by command path. `--help` ends with them and the man
/// pages' EXAMPLES sections list them; the README mirrors them.
pub const EXAMPLES: &[(&str, &[(&str, &str)])] = &[
    (
        "",
        &[
            (
                "hcl chat \"Say hello\"",
                "One request through Helicone with the default provider.",
            ),
            (
                "cat notes.txt | hcl chat -P anthropic --cache -p env=ci \"Summarise\"",
                "Piped text after the prompt; cached, with a custom property.",
            ),
            ("hcl providers", "The provider table and the keys found."),
        ],
    ),
    (
        "chat",
        &[
            (
                "hcl chat \"What is Helicone?\"",
                "Ask, and print the answer.",
            ),
            (
                "echo \"Explain SSE\" | hcl chat -P anthropic --json",
                "Prompt from stdin; one JSON object out.",
            ),
            (
                "git diff | hcl chat \"Review this change\"",
                "Prompt and piped text together: the text follows in a <stdin> block.",
            ),
            (
                "hcl chat -f diagram.png -P gemini \"What is this?\"",
                "Attach an image or a PDF; it goes as the provider's own part.",
            ),
            (
                "hcl chat -f spec.md -f report.pdf \"Does the report meet the spec?\"",
                "Text files go inline, each marked with its name.",
            ),
            (
                "hcl chat --dry-run -P gemini -p team=search \"hi\"",
                "Show the exact request, secrets masked; send nothing.",
            ),
            (
                "hcl chat -m claude-3-5-haiku-latest \"hi\"",
                "The model picks its provider (Anthropic); -m groq:MODEL or an alias works too.",
            ),
            (
                "hcl chat -c \"And in one sentence?\"",
                "Continue the latest conversation: same Helicone session, history resent.",
            ),
            (
                "hcl chat --session-name triage -P anthropic",
                "On a terminal: an interactive conversation (/help lists its commands).",
            ),
            (
                "hcl chat --batch evals.jsonl -j 32 --cache > results.jsonl",
                "Run a JSON Lines file concurrently; one result line per input line.",
            ),
            (
                "HCL_LOG=shard-2.jsonl hcl chat --batch evals.jsonl --shard 2/4 --junit batch-2.xml > results-2.jsonl",
                "One CI runner's quarter of a batch, with its own log, results and JUnit report.",
            ),
            (
                "hcl chat --batch evals.jsonl -j 32 --cache --resume > results-2.jsonl",
                "After a kill -9: what the request log shows answered is not sent again.",
            ),
            (
                "hcl chat --schema person.json \"Invent a person\" | jq .name",
                "Structured output, validated against a JSON Schema (exit 1 if it does not match).",
            ),
            (
                "hcl chat -P gemini --reasoning low -o generationConfig.topK=40 \"hi\"",
                "Reasoning effort, and any other body field by dotted path.",
            ),
            (
                "git diff | hcl chat -e -t review",
                "Edit the piped text in $EDITOR, then send it through the template review.",
            ),
        ],
    ),
    (
        "stream",
        &[
            (
                "hcl stream \"Write a haiku about caching\"",
                "Print the answer token by token as it arrives.",
            ),
            (
                "hcl stream -P anthropic --show-thinking --max-tokens 2000 \"Why is the sky blue?\"",
                "Show the model's reasoning on stderr while the answer streams to stdout.",
            ),
            (
                "hcl stream -v --cache -P gemini \"hi\" | tee answer.txt",
                "Cached; time to first token, tokens/s, cache status and Helicone id on stderr.",
            ),
            (
                "AWS_REGION=us-east-1 hcl stream -P bedrock -m us.amazon.nova-lite-v1:0 \"hi\"",
                "AWS Bedrock through Helicone, with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) set.",
            ),
        ],
    ),
    (
        "providers",
        &[
            (
                "hcl providers",
                "Routing, wire format and key source of every provider.",
            ),
            (
                "hcl providers --json | jq '.[] | select(.key_source != \"none\") | .name'",
                "The providers with a key.",
            ),
        ],
    ),
    (
        "models",
        &[
            (
                "hcl models",
                "The models of every provider whose key is set, with aliases and defaults.",
            ),
            (
                "hcl models -P anthropic --refresh",
                "Anthropic's models, fetched again now.",
            ),
            (
                "hcl models --format tsv | grep -i haiku",
                "Every model as tab-separated lines.",
            ),
        ],
    ),
    (
        "log",
        &[
            ("hcl log list", "The last 20 exchanges."),
            ("hcl log show", "The latest exchange, readably."),
            (
                "hcl log verify --batch \"$BATCH\" --expect logged",
                "Prove Helicone logged a batch; `hcl log push` repairs the gaps.",
            ),
            (
                "hcl log stats --by provider",
                "Counts, cache hit rate, tokens, cost and latency.",
            ),
        ],
    ),
    (
        "log list",
        &[
            ("hcl log list", "The last 20 exchanges."),
            ("hcl log list -n 50 --json", "The last 50, as JSON Lines."),
            (
                "hcl log list --since 1d -P anthropic --status error",
                "Yesterday's failed Anthropic requests.",
            ),
            (
                "hcl log list --grep \"rate limit\" --format tsv",
                "Exchanges whose prompt or answer mentions it, tab-separated.",
            ),
        ],
    ),
    (
        "log show",
        &[
            (
                "hcl log show",
                "What did I just get back? The latest exchange, readably.",
            ),
            (
                "hcl log show 3f2a --json | jq .response.usage",
                "One record by id prefix, as JSON: its token usage.",
            ),
            (
                "hcl log show 3f2a --json | jq .attachments",
                "The files it attached: name, size, SHA-256, type.",
            ),
            (
                "hcl log show --conversation 9c1e > chat.md",
                "A conversation's transcript as Markdown.",
            ),
        ],
    ),
    (
        "log conversations",
        &[
            (
                "hcl log conversations",
                "Recent conversations: id, turns, first prompt, provider, model.",
            ),
            (
                "hcl log conversations --all --json | jq -r 'select(.turns > 5) | .id'",
                "Every long conversation's id.",
            ),
            (
                "hcl chat --conversation \"$(hcl log conversations -n 1 --json | jq -r .id)\" \"Go on\"",
                "Continue a listed conversation.",
            ),
        ],
    ),
    (
        "log verify",
        &[
            (
                "hcl log verify",
                "Did Helicone log the last 20 requests? logged, missing, pending, direct or mismatch.",
            ),
            (
                "hcl log verify --batch \"$BATCH\" --expect logged --junit verify.xml",
                "A CI gate: exit 6 and a JUnit failure for each request Helicone lacks.",
            ),
            (
                "hcl log verify --since 1h --grace 2m --format tsv",
                "The last hour, counting anything older than 2 minutes as missing; tab-separated.",
            ),
        ],
    ),
    (
        "log merge",
        &[
            (
                "hcl log merge shard-*.jsonl -o merged.jsonl",
                "One log from the shard logs of a CI matrix: no duplicates, in time order.",
            ),
            (
                "hcl log merge \"$HCL_LOG\" shard-*.jsonl -o \"$HCL_LOG\"",
                "Add the shard logs to the current log.",
            ),
        ],
    ),
    (
        "log push",
        &[
            (
                "hcl log push --batch \"$BATCH\"",
                "Send the requests of a batch that Helicone lacks, once each.",
            ),
            (
                "hcl log push --since 1d --include-direct --dry-run",
                "Show what would be sent, --direct requests included, the key masked.",
            ),
            (
                "hcl log push 3f2a --no-verify",
                "Push one request without asking Helicone first.",
            ),
        ],
    ),
    (
        "log stats",
        &[
            (
                "hcl log stats --batch \"$BATCH\"",
                "The cache hit rate, tokens, cost and latency of one batch.",
            ),
            (
                "hcl log stats --since 7d --by model",
                "A week, one row per model.",
            ),
            (
                "hcl log stats --by property:team --format tsv",
                "By the `team` property, as tab-separated values.",
            ),
        ],
    ),
    (
        "log path",
        &[
            ("hcl log path", "Where the log is."),
            (
                "tail -f \"$(hcl log path)\"",
                "Watch exchanges as they are logged.",
            ),
        ],
    ),
    (
        "replay",
        &[
            (
                "hcl chat --cache \"Say hi\" && hcl replay --expect hit",
                "Prove the cache: the replay must be a HIT (exit 6 otherwise).",
            ),
            (
                "hcl replay --since 1h --property env=ci -j 8 --settle 90s --expect hit --junit replay.xml",
                "A CI check with a JUnit report; a MISS is sent again for 90 s while the cache settles.",
            ),
            (
                "hcl replay 3f2a --repeat 3 --json",
                "One record, three sends, as JSON.",
            ),
            (
                "HCL_LOG=merged.jsonl hcl replay --all --shard 1/2 --expect hit --junit replay-1.xml",
                "Half of a merged log's requests, on one of two CI runners.",
            ),
        ],
    ),
    (
        "log export",
        &[
            (
                "hcl log export --har hcl.har",
                "Every exchange as HAR 1.2, for browser devtools.",
            ),
            (
                "hcl log export --har - --since 1d --provider anthropic | jq '.log.entries | length'",
                "A day of Anthropic exchanges, to stdout.",
            ),
        ],
    ),
    (
        "auth",
        &[
            (
                "hcl auth set helicone",
                "Store the Helicone key in the OS keyring (hidden prompt).",
            ),
            ("hcl auth status", "Where each key was found."),
            (
                "hcl auth check",
                "What the Helicone key can do: proxy logging, read, write.",
            ),
        ],
    ),
    (
        "auth set",
        &[
            ("hcl auth set helicone", "Hidden prompt."),
            (
                "pass show openai | hcl auth set openai",
                "From a pipe; one trailing newline is dropped.",
            ),
            (
                "hcl auth set anthropic < ~/.secrets/anthropic",
                "From a file.",
            ),
        ],
    ),
    (
        "auth delete",
        &[
            (
                "hcl auth delete openai",
                "Remove the OpenAI key from the keyring.",
            ),
            ("hcl auth delete helicone", "Remove the Helicone key."),
        ],
    ),
    (
        "auth status",
        &[
            ("hcl auth status", "A table: name, source, fingerprint."),
            (
                "hcl auth status --json | jq '.keys[] | select(.source != \"none\")'",
                "The keys that were found.",
            ),
        ],
    ),
    (
        "auth check",
        &[
            (
                "hcl auth check",
                "Proxy logging, read and write, each yes or no (exit 5 only for an unknown key).",
            ),
            (
                "hcl auth check --json | jq .write",
                "Whether the key may POST (the bulk query of log verify, feedback, scores).",
            ),
            (
                "HCL_HELICONE_API_BASE=https://helicone.internal.example hcl auth check",
                "A self-hosted Helicone.",
            ),
        ],
    ),
    (
        "feedback",
        &[
            ("hcl feedback 3f2a good", "Rate one logged request."),
            (
                "hcl feedback --batch \"$BATCH\" bad",
                "Rate every successful request of a batch.",
            ),
            (
                "hcl feedback --results results.jsonl good --json",
                "Rate the requests a batch results file names.",
            ),
        ],
    ),
    (
        "score",
        &[
            (
                "hcl score 3f2a accuracy=92 is_safe=true",
                "Integer and boolean scores for one request.",
            ),
            (
                "hcl score --batch \"$BATCH\" reviewed=true",
                "One score on every successful request of a batch.",
            ),
        ],
    ),
    (
        "config",
        &[
            ("hcl config path", "Where the config file is."),
            (
                "hcl config show",
                "The effective settings and their sources.",
            ),
        ],
    ),
    (
        "config init",
        &[
            (
                "hcl config init",
                "Write a commented config file for the keys found.",
            ),
            (
                "hcl config init --force && hcl config show",
                "Replace it, and see the settings it gives.",
            ),
        ],
    ),
    (
        "config path",
        &[
            ("hcl config path", "Where the config file is."),
            ("$EDITOR \"$(hcl config path)\"", "Edit it."),
        ],
    ),
    (
        "config show",
        &[
            (
                "hcl config show",
                "Every effective setting and where it came from.",
            ),
            (
                "hcl config show --json | jq '.[] | select(.source == \"config\")'",
                "Only what the file sets.",
            ),
        ],
    ),
    (
        "templates",
        &[
            (
                "hcl chat -s \"Answer in one line\" -P anthropic --save brief \"Explain: {input}\"",
                "Save the flags and a prompt as the template brief.",
            ),
            ("hcl chat -t brief \"what a cache key is\"", "Use it."),
            ("hcl templates list", "The saved templates."),
        ],
    ),
    (
        "templates list",
        &[
            ("hcl templates list", "Each template and what it is for."),
            ("hcl templates list --names", "Only the names, one a line."),
        ],
    ),
    (
        "templates show",
        &[
            ("hcl templates show brief", "Print the template brief."),
            (
                "hcl templates show brief > brief.toml",
                "Copy it, to share or to keep in a repository.",
            ),
        ],
    ),
    (
        "templates edit",
        &[
            (
                "hcl templates edit review",
                "Edit (or start) the template review; it is checked when the editor closes.",
            ),
            (
                "EDITOR=\"code -w\" hcl templates edit review",
                "With an editor that must be told to wait.",
            ),
        ],
    ),
    (
        "templates path",
        &[
            ("hcl templates path", "The directory templates live in."),
            (
                "cp team/*.toml \"$(hcl templates path)\"",
                "Install templates someone shared.",
            ),
        ],
    ),
    (
        "completions",
        &[
            (
                "hcl completions bash > ~/.local/share/bash-completion/completions/hcl",
                "Install bash completion.",
            ),
            (
                "hcl completions zsh > \"${fpath[1]}/_hcl\"",
                "Install zsh completion.",
            ),
            (
                "hcl completions fish > ~/.config/fish/completions/hcl.fish",
                "Install fish completion.",
            ),
        ],
    ),
];

/// The examples of one command path ("" for hcl itself, "log list" …).
pub fn examples(path: &str) -> &'static [(&'static str, &'static str)] {
    EXAMPLES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, e)| *e)
        .unwrap_or(&[])
}

/// The `after_help` text of a command: its examples.
pub fn examples_help(path: &str) -> String {
    let mut out = String::from("Examples:\n");
    for (cmd, about) in examples(path) {
        out.push_str(&format!("  # {about}\n  {cmd}\n"));
    }
    out.trim_end().to_string()
}


use builtin;
use str;

set edit:completion:arg-completer[hcl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'hcl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'hcl'= {
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand chat 'Send one chat request and print the answer; on a terminal with no prompt, chat interactively'
            cand stream 'Send one chat request and print the answer token by token as it arrives'
            cand providers 'Show the provider table: routing, wire format and where each key was found'
            cand log 'Read the local request log'
            cand replay 'Re-send logged requests and report, for each, whether Helicone''s cache answered'
            cand auth 'Keys in the OS keyring, where each key was found, and a Helicone key check'
            cand feedback 'Rate logged requests good or bad in Helicone (by log id prefix, or a whole batch)'
            cand score 'Attach scores (integers or booleans) to logged requests in Helicone'
            cand config 'The config file: its path and the effective settings'
            cand templates 'Saved request templates (`-t NAME`, `--save NAME`): list, show, edit, path'
            cand completions 'Print a shell completion script'
            cand generate-docs 'Write the man pages and completion scripts from the CLI definition'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hcl;chat'= {
            cand -P 'Provider row (see `hcl providers`); default from the config file, else `openai`'
            cand --provider 'Provider row (see `hcl providers`); default from the config file, else `openai`'
            cand -m 'Model (for Azure, the deployment); default per provider'
            cand --model 'Model (for Azure, the deployment); default per provider'
            cand -f 'Attach a file (repeatable; `-` = stdin): text inline, images and PDFs as native parts'
            cand --file 'Attach a file (repeatable; `-` = stdin): text inline, images and PDFs as native parts'
            cand -s 'System prompt'
            cand --system 'System prompt'
            cand --max-tokens 'Maximum output tokens (Anthropic requires one; hcl sends 1024 when none is given)'
            cand --temperature 'Sampling temperature (OpenAI and Gemini 0-2, Anthropic 0-1)'
            cand --top-p 'Nucleus sampling: draw only from the most likely tokens that make up probability P (0-1)'
            cand --seed 'Seed for repeatable sampling, best effort (OpenAI, Gemini; Anthropic has none)'
            cand --stop 'Stop generating at this text (repeatable; OpenAI takes 4, Gemini 5)'
            cand --reasoning 'How hard the model thinks first: OpenAI reasoning_effort, Anthropic thinking, Gemini thinkingConfig'
            cand --schema 'Structured output: the answer must be JSON valid against this JSON Schema (a file, or the JSON itself)'
            cand -o 'Set any body field: KEY is a dotted path, VALUE JSON when it parses, else text (repeatable)'
            cand --option 'Set any body field: KEY is a dotted path, VALUE JSON when it parses, else text (repeatable)'
            cand -t 'Apply a saved template (see `hcl templates`): its settings under the flags given'
            cand --template 'Apply a saved template (see `hcl templates`): its settings under the flags given'
            cand -p 'Custom property: `Helicone-Property-KEY: VALUE` (repeatable)'
            cand --property 'Custom property: `Helicone-Property-KEY: VALUE` (repeatable)'
            cand -u 'User id: `Helicone-User-Id`'
            cand --user 'User id: `Helicone-User-Id`'
            cand --session 'Session id: `Helicone-Session-Id`'
            cand --session-path 'Session path, such as `/plan/step-1`: `Helicone-Session-Path`'
            cand --session-name 'Session name: `Helicone-Session-Name`'
            cand --cache-ttl 'Cache TTL in seconds (at most 365 days): `Cache-Control: max-age=SECS`'
            cand --cache-bucket 'Responses kept per cache key, 1-20: `Helicone-Cache-Bucket-Max-Size`'
            cand --cache-seed 'Cache namespace: `Helicone-Cache-Seed`'
            cand --retry-num 'Total attempts Helicone makes (implies --retry): `Helicone-Retry-Num`'
            cand --retry-factor 'Backoff factor (implies --retry): `Helicone-Retry-Factor`'
            cand --retry-min-timeout 'Shortest backoff in ms (implies --retry): `Helicone-Retry-Min-Timeout`'
            cand --retry-max-timeout 'Longest backoff in ms (implies --retry): `Helicone-Retry-Max-Timeout`'
            cand --rate-limit 'Rate-limit policy `QUOTA;w=SECS[;u=request|cents][;s=user|PROPERTY]`: `Helicone-RateLimit-Policy`'
            cand --request-id 'Request id, a UUID v1-v5: `Helicone-Request-Id` (default: the log record''s id)'
            cand -H 'Extra header `Name: value` (repeatable)'
            cand --header 'Extra header `Name: value` (repeatable)'
            cand --base-url 'Replace the provider''s Helicone base URL (self-hosted Helicone, tests)'
            cand --target-url 'For `-P gateway`: the upstream origin, sent as `Helicone-Target-Url`'
            cand --format 'For `-P gateway`: the upstream''s wire format'
            cand --connect-timeout 'Connect timeout in seconds [default: 10]'
            cand --timeout 'Whole-request timeout in seconds [default: 600]'
            cand --idle-timeout 'Longest silence allowed mid-stream, in seconds [default: 60]'
            cand --cacert 'Trust an extra CA certificate (PEM); HTTPS_PROXY, ALL_PROXY and NO_PROXY are honoured'
            cand --save 'Save the request flags as template NAME (see `hcl templates`) instead of sending'
            cand --batch 'Run every line of a JSON Lines file (`-` = stdin) as one request; print one JSON result line per input line'
            cand -j 'Requests in flight at once [default: 8]'
            cand --concurrency 'Requests in flight at once [default: 8]'
            cand --rps 'Start at most R requests per second (retries included)'
            cand --max-retries 'Client-side retries on 429, 5xx and connection errors, honouring Retry-After [default: 2]'
            cand --resume 'Skip input lines whose `id` already succeeded in an earlier results file'
            cand --conversation 'Continue the conversation with this id, or a unique prefix of one (see `hcl log conversations`)'
            cand --max-history-tokens 'Drop the oldest turns when the history would exceed about N tokens (4 characters a token); a note says how many'
            cand --json-object 'Ask for the answer as one JSON object (OpenAI needs the word JSON in the prompt)'
            cand --cache 'Enable Helicone''s cache: `Helicone-Cache-Enabled: true`'
            cand --retry 'Let Helicone retry 429 and 5xx upstream answers: `Helicone-Retry-Enabled: true`'
            cand --omit-request 'Don''t store the request body in Helicone: `Helicone-Omit-Request: true`'
            cand --omit-response 'Don''t store the response body in Helicone: `Helicone-Omit-Response: true`'
            cand --direct 'Bypass Helicone: send to the provider''s own origin, without Helicone headers'
            cand --curl 'Print an equivalent curl command, secrets as $ENV_VAR references; nothing is sent'
            cand --dry-run 'Print the exact request, secrets masked; nothing is sent or logged'
            cand --json 'Print one JSON object instead of text'
            cand --no-log 'Don''t append to the request log'
            cand -v 'Helicone response metadata on stderr'
            cand --verbose 'Helicone response metadata on stderr'
            cand -q 'Nothing but the answer'
            cand --quiet 'Nothing but the answer'
            cand -e 'Write the prompt in $VISUAL or $EDITOR (else vi), opened on the arguments and stdin'
            cand --edit 'Write the prompt in $VISUAL or $EDITOR (else vi), opened on the arguments and stdin'
            cand --stream 'Stream the answer, printing each token as it arrives (the same as `hcl stream`)'
            cand --no-stream 'Print the answer when complete, even where the config file says `stream = true`'
            cand --show-thinking 'When streaming, show the model''s reasoning (thinking) on stderr as it arrives'
            cand --unordered 'Write each result as it completes instead of in input order'
            cand --fail-fast 'Stop launching requests at the first failure'
            cand -c 'Continue the most recent conversation in the log: its history is sent again, in the same Helicone session'
            cand --continue 'Continue the most recent conversation in the log: its history is sent again, in the same Helicone session'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hcl;stream'= {
            cand -P 'Provider row (see `hcl providers`); default from the config file, else `openai`'
            cand --provider 'Provider row (see `hcl providers`); default from the config file, else `openai`'
            cand -m 'Model (for Azure, the deployment); default per provider'
            cand --model 'Model (for Azure, the deployment); default per provider'
            cand -f 'Attach a file (repeatable; `-` = stdin): text inline, images and PDFs as native parts'
            cand --file 'Attach a file (repeatable; `-` = stdin): text inline, images and PDFs as native parts'
            cand -s 'System prompt'
            cand --system 'System prompt'
            cand --max-tokens 'Maximum output tokens (Anthropic requires one; hcl sends 1024 when none is given)'
            cand --temperature 'Sampling temperature (OpenAI and Gemini 0-2, Anthropic 0-1)'
            cand --top-p 'Nucleus sampling: draw only from the most likely tokens that make up probability P (0-1)'
            cand --seed 'Seed for repeatable sampling, best effort (OpenAI, Gemini; Anthropic has none)'
            cand --stop 'Stop generating at this text (repeatable; OpenAI takes 4, Gemini 5)'
            cand --reasoning 'How hard the model thinks first: OpenAI reasoning_effort, Anthropic thinking, Gemini thinkingConfig'
            cand --schema 'Structured output: the answer must be JSON valid against this JSON Schema (a file, or the JSON itself)'
            cand -o 'Set any body field: KEY is a dotted path, VALUE JSON when it parses, else text (repeatable)'
            cand --option 'Set any body field: KEY is a dotted path, VALUE JSON when it parses, else text (repeatable)'
            cand -t 'Apply a saved template (see `hcl templates`): its settings under the flags given'
            cand --template 'Apply a saved template (see `hcl templates`): its settings under the flags given'
            cand -p 'Custom property: `Helicone-Property-KEY: VALUE` (repeatable)'
            cand --property 'Custom property: `Helicone-Property-KEY: VALUE` (repeatable)'
            cand -u 'User id: `Helicone-User-Id`'
            cand --user 'User id: `Helicone-User-Id`'
            cand --session 'Session id: `Helicone-Session-Id`'
            cand --session-path 'Session path, such as `/plan/step-1`: `Helicone-Session-Path`'
            cand --session-name 'Session name: `Helicone-Session-Name`'
            cand --cache-ttl 'Cache TTL in seconds (at most 365 days): `Cache-Control: max-age=SECS`'
            cand --cache-bucket 'Responses kept per cache key, 1-20: `Helicone-Cache-Bucket-Max-Size`'
            cand --cache-seed 'Cache namespace: `Helicone-Cache-Seed`'
            cand --retry-num 'Total attempts Helicone makes (implies --retry): `Helicone-Retry-Num`'
            cand --retry-factor 'Backoff factor (implies --retry): `Helicone-Retry-Factor`'
            cand --retry-min-timeout 'Shortest backoff in ms (implies --retry): `Helicone-Retry-Min-Timeout`'
            cand --retry-max-timeout 'Longest backoff in ms (implies --retry): `Helicone-Retry-Max-Timeout`'
            cand --rate-limit 'Rate-limit policy `QUOTA;w=SECS[;u=request|cents][;s=user|PROPERTY]`: `Helicone-RateLimit-Policy`'
            cand --request-id 'Request id, a UUID v1-v5: `Helicone-Request-Id` (default: the log record''s id)'
            cand -H 'Extra header `Name: value` (repeatable)'
            cand --header 'Extra header `Name: value` (repeatable)'
            cand --base-url 'Replace the provider''s Helicone base URL (self-hosted Helicone, tests)'
            cand --target-url 'For `-P gateway`: the upstream origin, sent as `Helicone-Target-Url`'
            cand --format 'For `-P gateway`: the upstream''s wire format'
            cand --connect-timeout 'Connect timeout in seconds [default: 10]'
            cand --timeout 'Whole-request timeout in seconds [default: 600]'
            cand --idle-timeout 'Longest silence allowed mid-stream, in seconds [default: 60]'
            cand --cacert 'Trust an extra CA certificate (PEM); HTTPS_PROXY, ALL_PROXY and NO_PROXY are honoured'
            cand --save 'Save the request flags as template NAME (see `hcl templates`) instead of sending'
            cand --conversation 'Continue the conversation with this id, or a unique prefix of one (see `hcl log conversations`)'
            cand --max-history-tokens 'Drop the oldest turns when the history would exceed about N tokens (4 characters a token); a note says how many'
            cand --json-object 'Ask for the answer as one JSON object (OpenAI needs the word JSON in the prompt)'
            cand --cache 'Enable Helicone''s cache: `Helicone-Cache-Enabled: true`'
            cand --retry 'Let Helicone retry 429 and 5xx upstream answers: `Helicone-Retry-Enabled: true`'
            cand --omit-request 'Don''t store the request body in Helicone: `Helicone-Omit-Request: true`'
            cand --omit-response 'Don''t store the response body in Helicone: `Helicone-Omit-Response: true`'
            cand --direct 'Bypass Helicone: send to the provider''s own origin, without Helicone headers'
            cand --curl 'Print an equivalent curl command, secrets as $ENV_VAR references; nothing is sent'
            cand --dry-run 'Print the exact request, secrets masked; nothing is sent or logged'
            cand --json 'Print one JSON object instead of text'
            cand --no-log 'Don''t append to the request log'
            cand -v 'Helicone response metadata on stderr'
            cand --verbose 'Helicone response metadata on stderr'
            cand -q 'Nothing but the answer'
            cand --quiet 'Nothing but the answer'
            cand -e 'Write the prompt in $VISUAL or $EDITOR (else vi), opened on the arguments and stdin'
            cand --edit 'Write the prompt in $VISUAL or $EDITOR (else vi), opened on the arguments and stdin'
            cand --show-thinking 'Show the model''s reasoning (thinking) on stderr as it arrives'
            cand -c 'Continue the most recent conversation in the log: its history is sent again, in the same Helicone session'
            cand --continue 'Continue the most recent conversation in the log: its history is sent again, in the same Helicone session'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hcl;providers'= {
            cand --json 'Print the table as JSON'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hcl;log'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List logged exchanges, newest last'
            cand show 'Print one record as pretty JSON (an id or a unique prefix of one)'
            cand path 'Print the log file''s path'
            cand export 'Write logged exchanges to a file other tools open (every record unless narrowed)'
            cand conversations 'List conversations: id, turns, first prompt, providers, model and last activity'
            cand verify 'Ask Helicone whether it logged each selected request: logged, missing, pending, direct, mismatch'
            cand push 'Send the requests Helicone lacks through its custom-logging API, once each'
            cand stats 'Counts, errors, cache hit rate, tokens, cost and latency percentiles, grouped with --by'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hcl;log;list'= {
            cand -n 'The newest N matching records [log list: 20]'
            cand --last 'The newest N matching records [log list: 20]'
            cand --since 'Records since WHEN: a duration ago (`2h`, `30m`, `7days`) or an RFC 3339 time'
            cand --provider 'Only records of this provider'
            cand --model 'Only records of this model'
            cand --property 'Only records sent with `Helicone-Property-KEY: VALUE` (repeatable; all must match)'
            cand --status 'Only exchanges that succeeded (`ok`: a 2xx answer) or failed (`error`)'
            cand --batch 'Only the requests of this `hcl chat --batch` run (its Hcl-Batch property)'
            cand --all 'Every matching record'
            cand --json 'Print JSON Lines instead of a table'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hcl;log;show'= {
            cand --conversation 'Print the transcript of this conversation (an id or a unique prefix) as Markdown'
            cand --json 'With --conversation: the transcript as one JSON object'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hcl;log;path'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hcl;log;export'= {
            cand --har 'Write HAR 1.2 (browser devtools, HTTP tools) to FILE; `-` is stdout'
            cand -n 'The newest N matching records [log list: 20]'
            cand --last 'The newest N matching records [log list: 20]'
            cand --since 'Records since WHEN: a duration ago (`2h`, `30m`, `7days`) or an RFC 3339 time'
            cand --provider 'Only records of this provider'
            cand --model 'Only records of this model'
            cand --property 'Only records sent with `Helicone-Property-KEY: VALUE` (repeatable; all must match)'
            cand --status 'Only exchanges that succeeded (`ok`: a 2xx answer) or failed (`error`)'
            cand --batch 'Only the requests of this `hcl chat --batch` run (its Hcl-Batch property)'
            cand --all 'Every matching record'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hcl;log;conversations'= {
            cand -n 'The N most recently active conversations [default: 20]'
            cand --last 'The N most recently active conversations [default: 20]'
            cand --all 'Every conversation'
            cand --json 'Print JSON Lines instead of a table'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hcl;log;verify'= {
            cand -n 'The newest N matching records [log list: 20]'
            cand --last 'The newest N matching records [log list: 20]'
            cand --since 'Records since WHEN: a duration ago (`2h`, `30m`, `7days`) or an RFC 3339 time'
            cand --provider 'Only records of this provider'
            cand --model 'Only records of this model'
            cand --property 'Only records sent with `Helicone-Property-KEY: VALUE` (repeatable; all must match)'
            cand --status 'Only exchanges that succeeded (`ok`: a 2xx answer) or failed (`error`)'
            cand --batch 'Only the requests of this `hcl chat --batch` run (its Hcl-Batch property)'
            cand --grace 'A request not in Helicone is pending, not missing, until it is this old (`30s`, `10m`, `2h`)'
            cand --expect 'Exit 6 when a request is missing or mismatched (pending and direct ones do not count)'
            cand --junit 'Write a JUnit XML report to FILE, one testcase per request'
            cand --format 'The output''s shape: a table, tab-separated values with a header line, or JSON [default: table]'
            cand --timeout 'Timeout of each call to Helicone''s REST API, in seconds [default: 30]'
            cand --all 'Every matching record'
            cand --json 'The same as --format json'
            cand -q 'No notes or warnings; only the report and errors'
            cand --quiet 'No notes or warnings; only the report and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hcl;log;push'= {
            cand -n 'The newest N matching records [log list: 20]'
            cand --last 'The newest N matching records [log list: 20]'
            cand --since 'Records since WHEN: a duration ago (`2h`, `30m`, `7days`) or an RFC 3339 time'
            cand --provider 'Only records of this provider'
            cand --model 'Only records of this model'
            cand --property 'Only records sent with `Helicone-Property-KEY: VALUE` (repeatable; all must match)'
            cand --status 'Only exchanges that succeeded (`ok`: a 2xx answer) or failed (`error`)'
            cand --batch 'Only the requests of this `hcl chat --batch` run (its Hcl-Batch property)'
            cand --grace 'When verifying: a request not in Helicone is pending (and not pushed) until it is this old'
            cand --format 'The output''s shape: a table, tab-separated values with a header line, or JSON [default: table]'
            cand --timeout 'Timeout of each call to Helicone''s REST API, in seconds [default: 30]'
            cand --all 'Every matching record'
            cand --include-direct 'Also push requests sent with --direct, which Helicone never saw'
            cand --no-verify 'Push without asking Helicone first (requests already pushed are still skipped)'
            cand --dry-run 'Print what would be sent (URL, headers with the key masked, payload); send nothing'
            cand --json 'The same as --format json'
            cand -q 'No notes or warnings; only the report and errors'
            cand --quiet 'No notes or warnings; only the report and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hcl;log;stats'= {
            cand -n 'The newest N matching records [log list: 20]'
            cand --last 'The newest N matching records [log list: 20]'
            cand --since 'Records since WHEN: a duration ago (`2h`, `30m`, `7days`) or an RFC 3339 time'
            cand --provider 'Only records of this provider'
            cand --model 'Only records of this model'
            cand --property 'Only records sent with `Helicone-Property-KEY: VALUE` (repeatable; all must match)'
            cand --status 'Only exchanges that succeeded (`ok`: a 2xx answer) or failed (`error`)'
            cand --batch 'Only the requests of this `hcl chat --batch` run (its Hcl-Batch property)'
            cand --by 'Group by `provider`, `model`, `batch` or `property:NAME` [default: one row for everything]'
            cand --format 'The output''s shape: a table, tab-separated values with a header line, or JSON [default: table]'
            cand --all 'Every matching record'
            cand --json 'The same as --format json'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hcl;log;help'= {
            cand list 'List logged exchanges, newest last'
            cand show 'Print one record as pretty JSON (an id or a unique prefix of one)'
            cand path 'Print the log file''s path'
            cand export 'Write logged exchanges to a file other tools open (every record unless narrowed)'
            cand conversations 'List conversations: id, turns, first prompt, providers, model and last activity'
            cand verify 'Ask Helicone whether it logged each selected request: logged, missing, pending, direct, mismatch'
            cand push 'Send the requests Helicone lacks through its custom-logging API, once each'
            cand stats 'Counts, errors, cache hit rate, tokens, cost and latency percentiles, grouped with --by'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hcl;log;help;list'= {
        }
        &'hcl;log;help;show'= {
        }
        &'hcl;log;help;path'= {
        }
        &'hcl;log;help;export'= {
        }
        &'hcl;log;help;conversations'= {
        }
        &'hcl;log;help;verify'= {
        }
        &'hcl;log;help;push'= {
        }
        &'hcl;log;help;stats'= {
        }
        &'hcl;log;help;help'= {
        }
        &'hcl;replay'= {
            cand -n 'The newest N matching records [log list: 20]'
            cand --last 'The newest N matching records [log list: 20]'
            cand --since 'Records since WHEN: a duration ago (`2h`, `30m`, `7days`) or an RFC 3339 time'
            cand --provider 'Only records of this provider'
            cand --model 'Only records of this model'
            cand --property 'Only records sent with `Helicone-Property-KEY: VALUE` (repeatable; all must match)'
            cand --status 'Only exchanges that succeeded (`ok`: a 2xx answer) or failed (`error`)'
            cand --batch 'Only the requests of this `hcl chat --batch` run (its Hcl-Batch property)'
            cand --repeat 'Send each request N times, one after another (a bucket of size N needs N sends to hit)'
            cand -j 'Requests in flight at once'
            cand --concurrency 'Requests in flight at once'
            cand --expect 'Exit 6 unless every replay was a HIT (or a MISS); with --repeat, the last send of each request counts'
            cand --base-url 'Send to this Helicone base instead of the logged one (the URL is part of the cache key)'
            cand -H 'Extra header `Name: value`, replacing a logged one of that name (repeatable)'
            cand --header 'Extra header `Name: value`, replacing a logged one of that name (repeatable)'
            cand --timeout 'Whole-request timeout in seconds [default: 600]'
            cand --junit 'Write a JUnit XML report to FILE, one testcase per replay'
            cand --all 'Every matching record'
            cand --include-replays 'Also select records that are themselves replays'
            cand --cache 'Add `Helicone-Cache-Enabled: true` to requests first sent without caching'
            cand --json 'Print the report as one JSON object'
            cand --no-log 'Don''t append the replays to the request log'
            cand -q 'No notes or warnings; only the report and errors'
            cand --quiet 'No notes or warnings; only the report and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hcl;auth'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand set 'Store a key in the OS keyring, read from stdin when piped, else from a hidden prompt'
            cand delete 'Delete a key from the OS keyring'
            cand status 'Show where each key was found (env, keyring, config or none), as a fingerprint'
            cand check 'Say what the Helicone key can do: proxy logging, read and write, each on its own'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hcl;auth;set'= {
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hcl;auth;delete'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hcl;auth;status'= {
            cand --json 'Print JSON instead of a table'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hcl;auth;check'= {
            cand --timeout 'Whole-request timeout in seconds [default: 30]'
            cand --json 'Print one JSON object instead of text'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hcl;auth;help'= {
            cand set 'Store a key in the OS keyring, read from stdin when piped, else from a hidden prompt'
            cand delete 'Delete a key from the OS keyring'
            cand status 'Show where each key was found (env, keyring, config or none), as a fingerprint'
            cand check 'Say what the Helicone key can do: proxy logging, read and write, each on its own'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hcl;auth;help;set'= {
        }
        &'hcl;auth;help;delete'= {
        }
        &'hcl;auth;help;status'= {
        }
        &'hcl;auth;help;check'= {
        }
        &'hcl;auth;help;help'= {
        }
        &'hcl;feedback'= {
            cand --batch 'Every successful request of this `hcl chat --batch` run (its Hcl-Batch property)'
            cand --results 'Every request named (by log_id) in this `hcl chat --batch` results file'
            cand --timeout 'Timeout of each call to Helicone''s REST API, in seconds [default: 30]'
            cand --json 'Print one JSON object instead of text'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hcl;score'= {
            cand --batch 'Every successful request of this `hcl chat --batch` run (its Hcl-Batch property)'
            cand --results 'Every request named (by log_id) in this `hcl chat --batch` results file'
            cand --timeout 'Timeout of each call to Helicone''s REST API, in seconds [default: 30]'
            cand --json 'Print one JSON object instead of text'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hcl;config'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand path 'Print the config file''s path (HCL_CONFIG, else the platform''s config directory)'
            cand show 'Print the effective settings and where each came from; keys as fingerprints'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hcl;config;path'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hcl;config;show'= {
            cand --json 'Print JSON instead of a table'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hcl;config;help'= {
            cand path 'Print the config file''s path (HCL_CONFIG, else the platform''s config directory)'
            cand show 'Print the effective settings and where each came from; keys as fingerprints'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hcl;config;help;path'= {
        }
        &'hcl;config;help;show'= {
        }
        &'hcl;config;help;help'= {
        }
        &'hcl;templates'= {
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the saved templates with their descriptions'
            cand show 'Print a template''s file'
            cand edit 'Open a template in $VISUAL/$EDITOR (a new one starts from a commented example), then check it'
            cand path 'Print the templates directory'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hcl;templates;list'= {
            cand --json 'Print JSON Lines instead of a table'
            cand --names 'Print only the names, one a line (for scripts and shell completion)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hcl;templates;show'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hcl;templates;edit'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hcl;templates;path'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hcl;templates;help'= {
            cand list 'List the saved templates with their descriptions'
            cand show 'Print a template''s file'
            cand edit 'Open a template in $VISUAL/$EDITOR (a new one starts from a commented example), then check it'
            cand path 'Print the templates directory'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hcl;templates;help;list'= {
        }
        &'hcl;templates;help;show'= {
        }
        &'hcl;templates;help;edit'= {
        }
        &'hcl;templates;help;path'= {
        }
        &'hcl;templates;help;help'= {
        }
        &'hcl;completions'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hcl;generate-docs'= {
            cand --dir 'The repository root to write `man/` and `completions/` under'
            cand --check 'Compare instead of writing; exit 1 when a file is out of date'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hcl;help'= {
            cand chat 'Send one chat request and print the answer; on a terminal with no prompt, chat interactively'
            cand stream 'Send one chat request and print the answer token by token as it arrives'
            cand providers 'Show the provider table: routing, wire format and where each key was found'
            cand log 'Read the local request log'
            cand replay 'Re-send logged requests and report, for each, whether Helicone''s cache answered'
            cand auth 'Keys in the OS keyring, where each key was found, and a Helicone key check'
            cand feedback 'Rate logged requests good or bad in Helicone (by log id prefix, or a whole batch)'
            cand score 'Attach scores (integers or booleans) to logged requests in Helicone'
            cand config 'The config file: its path and the effective settings'
            cand templates 'Saved request templates (`-t NAME`, `--save NAME`): list, show, edit, path'
            cand completions 'Print a shell completion script'
            cand generate-docs 'Write the man pages and completion scripts from the CLI definition'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hcl;help;chat'= {
        }
        &'hcl;help;stream'= {
        }
        &'hcl;help;providers'= {
        }
        &'hcl;help;log'= {
            cand list 'List logged exchanges, newest last'
            cand show 'Print one record as pretty JSON (an id or a unique prefix of one)'
            cand path 'Print the log file''s path'
            cand export 'Write logged exchanges to a file other tools open (every record unless narrowed)'
            cand conversations 'List conversations: id, turns, first prompt, providers, model and last activity'
            cand verify 'Ask Helicone whether it logged each selected request: logged, missing, pending, direct, mismatch'
            cand push 'Send the requests Helicone lacks through its custom-logging API, once each'
            cand stats 'Counts, errors, cache hit rate, tokens, cost and latency percentiles, grouped with --by'
        }
        &'hcl;help;log;list'= {
        }
        &'hcl;help;log;show'= {
        }
        &'hcl;help;log;path'= {
        }
        &'hcl;help;log;export'= {
        }
        &'hcl;help;log;conversations'= {
        }
        &'hcl;help;log;verify'= {
        }
        &'hcl;help;log;push'= {
        }
        &'hcl;help;log;stats'= {
        }
        &'hcl;help;replay'= {
        }
        &'hcl;help;auth'= {
            cand set 'Store a key in the OS keyring, read from stdin when piped, else from a hidden prompt'
            cand delete 'Delete a key from the OS keyring'
            cand status 'Show where each key was found (env, keyring, config or none), as a fingerprint'
            cand check 'Say what the Helicone key can do: proxy logging, read and write, each on its own'
        }
        &'hcl;help;auth;set'= {
        }
        &'hcl;help;auth;delete'= {
        }
        &'hcl;help;auth;status'= {
        }
        &'hcl;help;auth;check'= {
        }
        &'hcl;help;feedback'= {
        }
        &'hcl;help;score'= {
        }
        &'hcl;help;config'= {
            cand path 'Print the config file''s path (HCL_CONFIG, else the platform''s config directory)'
            cand show 'Print the effective settings and where each came from; keys as fingerprints'
        }
        &'hcl;help;config;path'= {
        }
        &'hcl;help;config;show'= {
        }
        &'hcl;help;templates'= {
            cand list 'List the saved templates with their descriptions'
            cand show 'Print a template''s file'
            cand edit 'Open a template in $VISUAL/$EDITOR (a new one starts from a commented example), then check it'
            cand path 'Print the templates directory'
        }
        &'hcl;help;templates;list'= {
        }
        &'hcl;help;templates;show'= {
        }
        &'hcl;help;templates;edit'= {
        }
        &'hcl;help;templates;path'= {
        }
        &'hcl;help;completions'= {
        }
        &'hcl;help;generate-docs'= {
        }
        &'hcl;help;help'= {
        }
    ]
    $completions[$command]
}

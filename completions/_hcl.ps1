
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'hcl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'hcl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'hcl' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('chat', 'chat', [CompletionResultType]::ParameterValue, 'Send one chat request and print the answer; on a terminal with no prompt, chat interactively')
            [CompletionResult]::new('stream', 'stream', [CompletionResultType]::ParameterValue, 'Send one chat request and print the answer token by token as it arrives')
            [CompletionResult]::new('providers', 'providers', [CompletionResultType]::ParameterValue, 'Show the provider table: routing, wire format and where each key was found')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Read the local request log')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Re-send logged requests and report, for each, whether Helicone''s cache answered')
            [CompletionResult]::new('auth', 'auth', [CompletionResultType]::ParameterValue, 'Keys in the OS keyring, where each key was found, and a Helicone key check')
            [CompletionResult]::new('feedback', 'feedback', [CompletionResultType]::ParameterValue, 'Rate logged requests good or bad in Helicone (by log id prefix, or a whole batch)')
            [CompletionResult]::new('score', 'score', [CompletionResultType]::ParameterValue, 'Attach scores (integers or booleans) to logged requests in Helicone')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'The config file: its path and the effective settings')
            [CompletionResult]::new('templates', 'templates', [CompletionResultType]::ParameterValue, 'Saved request templates (`-t NAME`, `--save NAME`): list, show, edit, path')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('generate-docs', 'generate-docs', [CompletionResultType]::ParameterValue, 'Write the man pages and completion scripts from the CLI definition')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hcl;chat' {
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Provider row (see `hcl providers`); default from the config file, else `openai`')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Provider row (see `hcl providers`); default from the config file, else `openai`')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model (for Azure, the deployment); default per provider')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model (for Azure, the deployment); default per provider')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Attach a file (repeatable; `-` = stdin): text inline, images and PDFs as native parts')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Attach a file (repeatable; `-` = stdin): text inline, images and PDFs as native parts')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'System prompt')
            [CompletionResult]::new('--system', '--system', [CompletionResultType]::ParameterName, 'System prompt')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'Maximum output tokens (Anthropic requires one; hcl sends 1024 when none is given)')
            [CompletionResult]::new('--temperature', '--temperature', [CompletionResultType]::ParameterName, 'Sampling temperature (OpenAI and Gemini 0-2, Anthropic 0-1)')
            [CompletionResult]::new('--top-p', '--top-p', [CompletionResultType]::ParameterName, 'Nucleus sampling: draw only from the most likely tokens that make up probability P (0-1)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for repeatable sampling, best effort (OpenAI, Gemini; Anthropic has none)')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'Stop generating at this text (repeatable; OpenAI takes 4, Gemini 5)')
            [CompletionResult]::new('--reasoning', '--reasoning', [CompletionResultType]::ParameterName, 'How hard the model thinks first: OpenAI reasoning_effort, Anthropic thinking, Gemini thinkingConfig')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Structured output: the answer must be JSON valid against this JSON Schema (a file, or the JSON itself)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Set any body field: KEY is a dotted path, VALUE JSON when it parses, else text (repeatable)')
            [CompletionResult]::new('--option', '--option', [CompletionResultType]::ParameterName, 'Set any body field: KEY is a dotted path, VALUE JSON when it parses, else text (repeatable)')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Apply a saved template (see `hcl templates`): its settings under the flags given')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'Apply a saved template (see `hcl templates`): its settings under the flags given')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Custom property: `Helicone-Property-KEY: VALUE` (repeatable)')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'Custom property: `Helicone-Property-KEY: VALUE` (repeatable)')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User id: `Helicone-User-Id`')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User id: `Helicone-User-Id`')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Session id: `Helicone-Session-Id`')
            [CompletionResult]::new('--session-path', '--session-path', [CompletionResultType]::ParameterName, 'Session path, such as `/plan/step-1`: `Helicone-Session-Path`')
            [CompletionResult]::new('--session-name', '--session-name', [CompletionResultType]::ParameterName, 'Session name: `Helicone-Session-Name`')
            [CompletionResult]::new('--cache-ttl', '--cache-ttl', [CompletionResultType]::ParameterName, 'Cache TTL in seconds (at most 365 days): `Cache-Control: max-age=SECS`')
            [CompletionResult]::new('--cache-bucket', '--cache-bucket', [CompletionResultType]::ParameterName, 'Responses kept per cache key, 1-20: `Helicone-Cache-Bucket-Max-Size`')
            [CompletionResult]::new('--cache-seed', '--cache-seed', [CompletionResultType]::ParameterName, 'Cache namespace: `Helicone-Cache-Seed`')
            [CompletionResult]::new('--retry-num', '--retry-num', [CompletionResultType]::ParameterName, 'Total attempts Helicone makes (implies --retry): `Helicone-Retry-Num`')
            [CompletionResult]::new('--retry-factor', '--retry-factor', [CompletionResultType]::ParameterName, 'Backoff factor (implies --retry): `Helicone-Retry-Factor`')
            [CompletionResult]::new('--retry-min-timeout', '--retry-min-timeout', [CompletionResultType]::ParameterName, 'Shortest backoff in ms (implies --retry): `Helicone-Retry-Min-Timeout`')
            [CompletionResult]::new('--retry-max-timeout', '--retry-max-timeout', [CompletionResultType]::ParameterName, 'Longest backoff in ms (implies --retry): `Helicone-Retry-Max-Timeout`')
            [CompletionResult]::new('--rate-limit', '--rate-limit', [CompletionResultType]::ParameterName, 'Rate-limit policy `QUOTA;w=SECS[;u=request|cents][;s=user|PROPERTY]`: `Helicone-RateLimit-Policy`')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Request id, a UUID v1-v5: `Helicone-Request-Id` (default: the log record''s id)')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Extra header `Name: value` (repeatable)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra header `Name: value` (repeatable)')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Replace the provider''s Helicone base URL (self-hosted Helicone, tests)')
            [CompletionResult]::new('--target-url', '--target-url', [CompletionResultType]::ParameterName, 'For `-P gateway`: the upstream origin, sent as `Helicone-Target-Url`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'For `-P gateway`: the upstream''s wire format')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Connect timeout in seconds [default: 10]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Whole-request timeout in seconds [default: 600]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence allowed mid-stream, in seconds [default: 60]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust an extra CA certificate (PEM); HTTPS_PROXY, ALL_PROXY and NO_PROXY are honoured')
            [CompletionResult]::new('--save', '--save', [CompletionResultType]::ParameterName, 'Save the request flags as template NAME (see `hcl templates`) instead of sending')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Run every line of a JSON Lines file (`-` = stdin) as one request; print one JSON result line per input line')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Requests in flight at once [default: 8]')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Requests in flight at once [default: 8]')
            [CompletionResult]::new('--rps', '--rps', [CompletionResultType]::ParameterName, 'Start at most R requests per second (retries included)')
            [CompletionResult]::new('--max-retries', '--max-retries', [CompletionResultType]::ParameterName, 'Client-side retries on 429, 5xx and connection errors, honouring Retry-After [default: 2]')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Skip input lines whose `id` already succeeded in an earlier results file')
            [CompletionResult]::new('--conversation', '--conversation', [CompletionResultType]::ParameterName, 'Continue the conversation with this id, or a unique prefix of one (see `hcl log conversations`)')
            [CompletionResult]::new('--max-history-tokens', '--max-history-tokens', [CompletionResultType]::ParameterName, 'Drop the oldest turns when the history would exceed about N tokens (4 characters a token); a note says how many')
            [CompletionResult]::new('--json-object', '--json-object', [CompletionResultType]::ParameterName, 'Ask for the answer as one JSON object (OpenAI needs the word JSON in the prompt)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'Enable Helicone''s cache: `Helicone-Cache-Enabled: true`')
            [CompletionResult]::new('--retry', '--retry', [CompletionResultType]::ParameterName, 'Let Helicone retry 429 and 5xx upstream answers: `Helicone-Retry-Enabled: true`')
            [CompletionResult]::new('--omit-request', '--omit-request', [CompletionResultType]::ParameterName, 'Don''t store the request body in Helicone: `Helicone-Omit-Request: true`')
            [CompletionResult]::new('--omit-response', '--omit-response', [CompletionResultType]::ParameterName, 'Don''t store the response body in Helicone: `Helicone-Omit-Response: true`')
            [CompletionResult]::new('--direct', '--direct', [CompletionResultType]::ParameterName, 'Bypass Helicone: send to the provider''s own origin, without Helicone headers')
            [CompletionResult]::new('--curl', '--curl', [CompletionResultType]::ParameterName, 'Print an equivalent curl command, secrets as $ENV_VAR references; nothing is sent')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request, secrets masked; nothing is sent or logged')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object instead of text')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Don''t append to the request log')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Helicone response metadata on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Helicone response metadata on stderr')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Nothing but the answer')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Nothing but the answer')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Write the prompt in $VISUAL or $EDITOR (else vi), opened on the arguments and stdin')
            [CompletionResult]::new('--edit', '--edit', [CompletionResultType]::ParameterName, 'Write the prompt in $VISUAL or $EDITOR (else vi), opened on the arguments and stdin')
            [CompletionResult]::new('--stream', '--stream', [CompletionResultType]::ParameterName, 'Stream the answer, printing each token as it arrives (the same as `hcl stream`)')
            [CompletionResult]::new('--no-stream', '--no-stream', [CompletionResultType]::ParameterName, 'Print the answer when complete, even where the config file says `stream = true`')
            [CompletionResult]::new('--show-thinking', '--show-thinking', [CompletionResultType]::ParameterName, 'When streaming, show the model''s reasoning (thinking) on stderr as it arrives')
            [CompletionResult]::new('--unordered', '--unordered', [CompletionResultType]::ParameterName, 'Write each result as it completes instead of in input order')
            [CompletionResult]::new('--fail-fast', '--fail-fast', [CompletionResultType]::ParameterName, 'Stop launching requests at the first failure')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Continue the most recent conversation in the log: its history is sent again, in the same Helicone session')
            [CompletionResult]::new('--continue', '--continue', [CompletionResultType]::ParameterName, 'Continue the most recent conversation in the log: its history is sent again, in the same Helicone session')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hcl;stream' {
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Provider row (see `hcl providers`); default from the config file, else `openai`')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Provider row (see `hcl providers`); default from the config file, else `openai`')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model (for Azure, the deployment); default per provider')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model (for Azure, the deployment); default per provider')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Attach a file (repeatable; `-` = stdin): text inline, images and PDFs as native parts')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Attach a file (repeatable; `-` = stdin): text inline, images and PDFs as native parts')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'System prompt')
            [CompletionResult]::new('--system', '--system', [CompletionResultType]::ParameterName, 'System prompt')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'Maximum output tokens (Anthropic requires one; hcl sends 1024 when none is given)')
            [CompletionResult]::new('--temperature', '--temperature', [CompletionResultType]::ParameterName, 'Sampling temperature (OpenAI and Gemini 0-2, Anthropic 0-1)')
            [CompletionResult]::new('--top-p', '--top-p', [CompletionResultType]::ParameterName, 'Nucleus sampling: draw only from the most likely tokens that make up probability P (0-1)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for repeatable sampling, best effort (OpenAI, Gemini; Anthropic has none)')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'Stop generating at this text (repeatable; OpenAI takes 4, Gemini 5)')
            [CompletionResult]::new('--reasoning', '--reasoning', [CompletionResultType]::ParameterName, 'How hard the model thinks first: OpenAI reasoning_effort, Anthropic thinking, Gemini thinkingConfig')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Structured output: the answer must be JSON valid against this JSON Schema (a file, or the JSON itself)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Set any body field: KEY is a dotted path, VALUE JSON when it parses, else text (repeatable)')
            [CompletionResult]::new('--option', '--option', [CompletionResultType]::ParameterName, 'Set any body field: KEY is a dotted path, VALUE JSON when it parses, else text (repeatable)')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Apply a saved template (see `hcl templates`): its settings under the flags given')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'Apply a saved template (see `hcl templates`): its settings under the flags given')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Custom property: `Helicone-Property-KEY: VALUE` (repeatable)')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'Custom property: `Helicone-Property-KEY: VALUE` (repeatable)')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User id: `Helicone-User-Id`')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User id: `Helicone-User-Id`')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Session id: `Helicone-Session-Id`')
            [CompletionResult]::new('--session-path', '--session-path', [CompletionResultType]::ParameterName, 'Session path, such as `/plan/step-1`: `Helicone-Session-Path`')
            [CompletionResult]::new('--session-name', '--session-name', [CompletionResultType]::ParameterName, 'Session name: `Helicone-Session-Name`')
            [CompletionResult]::new('--cache-ttl', '--cache-ttl', [CompletionResultType]::ParameterName, 'Cache TTL in seconds (at most 365 days): `Cache-Control: max-age=SECS`')
            [CompletionResult]::new('--cache-bucket', '--cache-bucket', [CompletionResultType]::ParameterName, 'Responses kept per cache key, 1-20: `Helicone-Cache-Bucket-Max-Size`')
            [CompletionResult]::new('--cache-seed', '--cache-seed', [CompletionResultType]::ParameterName, 'Cache namespace: `Helicone-Cache-Seed`')
            [CompletionResult]::new('--retry-num', '--retry-num', [CompletionResultType]::ParameterName, 'Total attempts Helicone makes (implies --retry): `Helicone-Retry-Num`')
            [CompletionResult]::new('--retry-factor', '--retry-factor', [CompletionResultType]::ParameterName, 'Backoff factor (implies --retry): `Helicone-Retry-Factor`')
            [CompletionResult]::new('--retry-min-timeout', '--retry-min-timeout', [CompletionResultType]::ParameterName, 'Shortest backoff in ms (implies --retry): `Helicone-Retry-Min-Timeout`')
            [CompletionResult]::new('--retry-max-timeout', '--retry-max-timeout', [CompletionResultType]::ParameterName, 'Longest backoff in ms (implies --retry): `Helicone-Retry-Max-Timeout`')
            [CompletionResult]::new('--rate-limit', '--rate-limit', [CompletionResultType]::ParameterName, 'Rate-limit policy `QUOTA;w=SECS[;u=request|cents][;s=user|PROPERTY]`: `Helicone-RateLimit-Policy`')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Request id, a UUID v1-v5: `Helicone-Request-Id` (default: the log record''s id)')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Extra header `Name: value` (repeatable)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra header `Name: value` (repeatable)')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Replace the provider''s Helicone base URL (self-hosted Helicone, tests)')
            [CompletionResult]::new('--target-url', '--target-url', [CompletionResultType]::ParameterName, 'For `-P gateway`: the upstream origin, sent as `Helicone-Target-Url`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'For `-P gateway`: the upstream''s wire format')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Connect timeout in seconds [default: 10]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Whole-request timeout in seconds [default: 600]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence allowed mid-stream, in seconds [default: 60]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust an extra CA certificate (PEM); HTTPS_PROXY, ALL_PROXY and NO_PROXY are honoured')
            [CompletionResult]::new('--save', '--save', [CompletionResultType]::ParameterName, 'Save the request flags as template NAME (see `hcl templates`) instead of sending')
            [CompletionResult]::new('--conversation', '--conversation', [CompletionResultType]::ParameterName, 'Continue the conversation with this id, or a unique prefix of one (see `hcl log conversations`)')
            [CompletionResult]::new('--max-history-tokens', '--max-history-tokens', [CompletionResultType]::ParameterName, 'Drop the oldest turns when the history would exceed about N tokens (4 characters a token); a note says how many')
            [CompletionResult]::new('--json-object', '--json-object', [CompletionResultType]::ParameterName, 'Ask for the answer as one JSON object (OpenAI needs the word JSON in the prompt)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'Enable Helicone''s cache: `Helicone-Cache-Enabled: true`')
            [CompletionResult]::new('--retry', '--retry', [CompletionResultType]::ParameterName, 'Let Helicone retry 429 and 5xx upstream answers: `Helicone-Retry-Enabled: true`')
            [CompletionResult]::new('--omit-request', '--omit-request', [CompletionResultType]::ParameterName, 'Don''t store the request body in Helicone: `Helicone-Omit-Request: true`')
            [CompletionResult]::new('--omit-response', '--omit-response', [CompletionResultType]::ParameterName, 'Don''t store the response body in Helicone: `Helicone-Omit-Response: true`')
            [CompletionResult]::new('--direct', '--direct', [CompletionResultType]::ParameterName, 'Bypass Helicone: send to the provider''s own origin, without Helicone headers')
            [CompletionResult]::new('--curl', '--curl', [CompletionResultType]::ParameterName, 'Print an equivalent curl command, secrets as $ENV_VAR references; nothing is sent')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request, secrets masked; nothing is sent or logged')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object instead of text')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Don''t append to the request log')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Helicone response metadata on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Helicone response metadata on stderr')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Nothing but the answer')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Nothing but the answer')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Write the prompt in $VISUAL or $EDITOR (else vi), opened on the arguments and stdin')
            [CompletionResult]::new('--edit', '--edit', [CompletionResultType]::ParameterName, 'Write the prompt in $VISUAL or $EDITOR (else vi), opened on the arguments and stdin')
            [CompletionResult]::new('--show-thinking', '--show-thinking', [CompletionResultType]::ParameterName, 'Show the model''s reasoning (thinking) on stderr as it arrives')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Continue the most recent conversation in the log: its history is sent again, in the same Helicone session')
            [CompletionResult]::new('--continue', '--continue', [CompletionResultType]::ParameterName, 'Continue the most recent conversation in the log: its history is sent again, in the same Helicone session')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hcl;providers' {
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the table as JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hcl;log' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List logged exchanges, newest last')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print one record as pretty JSON (an id or a unique prefix of one)')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the log file''s path')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write logged exchanges to a file other tools open (every record unless narrowed)')
            [CompletionResult]::new('conversations', 'conversations', [CompletionResultType]::ParameterValue, 'List conversations: id, turns, first prompt, providers, model and last activity')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Ask Helicone whether it logged each selected request: logged, missing, pending, direct, mismatch')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Send the requests Helicone lacks through its custom-logging API, once each')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Counts, errors, cache hit rate, tokens, cost and latency percentiles, grouped with --by')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hcl;log;list' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The newest N matching records [log list: 20]')
            [CompletionResult]::new('--last', '--last', [CompletionResultType]::ParameterName, 'The newest N matching records [log list: 20]')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Records since WHEN: a duration ago (`2h`, `30m`, `7days`) or an RFC 3339 time')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Only records of this provider')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Only records of this model')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'Only records sent with `Helicone-Property-KEY: VALUE` (repeatable; all must match)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only exchanges that succeeded (`ok`: a 2xx answer) or failed (`error`)')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Only the requests of this `hcl chat --batch` run (its Hcl-Batch property)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every matching record')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON Lines instead of a table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hcl;log;show' {
            [CompletionResult]::new('--conversation', '--conversation', [CompletionResultType]::ParameterName, 'Print the transcript of this conversation (an id or a unique prefix) as Markdown')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'With --conversation: the transcript as one JSON object')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hcl;log;path' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hcl;log;export' {
            [CompletionResult]::new('--har', '--har', [CompletionResultType]::ParameterName, 'Write HAR 1.2 (browser devtools, HTTP tools) to FILE; `-` is stdout')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The newest N matching records [log list: 20]')
            [CompletionResult]::new('--last', '--last', [CompletionResultType]::ParameterName, 'The newest N matching records [log list: 20]')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Records since WHEN: a duration ago (`2h`, `30m`, `7days`) or an RFC 3339 time')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Only records of this provider')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Only records of this model')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'Only records sent with `Helicone-Property-KEY: VALUE` (repeatable; all must match)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only exchanges that succeeded (`ok`: a 2xx answer) or failed (`error`)')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Only the requests of this `hcl chat --batch` run (its Hcl-Batch property)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every matching record')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hcl;log;conversations' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The N most recently active conversations [default: 20]')
            [CompletionResult]::new('--last', '--last', [CompletionResultType]::ParameterName, 'The N most recently active conversations [default: 20]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every conversation')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON Lines instead of a table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hcl;log;verify' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The newest N matching records [log list: 20]')
            [CompletionResult]::new('--last', '--last', [CompletionResultType]::ParameterName, 'The newest N matching records [log list: 20]')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Records since WHEN: a duration ago (`2h`, `30m`, `7days`) or an RFC 3339 time')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Only records of this provider')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Only records of this model')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'Only records sent with `Helicone-Property-KEY: VALUE` (repeatable; all must match)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only exchanges that succeeded (`ok`: a 2xx answer) or failed (`error`)')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Only the requests of this `hcl chat --batch` run (its Hcl-Batch property)')
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'A request not in Helicone is pending, not missing, until it is this old (`30s`, `10m`, `2h`)')
            [CompletionResult]::new('--expect', '--expect', [CompletionResultType]::ParameterName, 'Exit 6 when a request is missing or mismatched (pending and direct ones do not count)')
            [CompletionResult]::new('--junit', '--junit', [CompletionResultType]::ParameterName, 'Write a JUnit XML report to FILE, one testcase per request')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'The output''s shape: a table, tab-separated values with a header line, or JSON [default: table]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each call to Helicone''s REST API, in seconds [default: 30]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every matching record')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'The same as --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No notes or warnings; only the report and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No notes or warnings; only the report and errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hcl;log;push' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The newest N matching records [log list: 20]')
            [CompletionResult]::new('--last', '--last', [CompletionResultType]::ParameterName, 'The newest N matching records [log list: 20]')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Records since WHEN: a duration ago (`2h`, `30m`, `7days`) or an RFC 3339 time')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Only records of this provider')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Only records of this model')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'Only records sent with `Helicone-Property-KEY: VALUE` (repeatable; all must match)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only exchanges that succeeded (`ok`: a 2xx answer) or failed (`error`)')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Only the requests of this `hcl chat --batch` run (its Hcl-Batch property)')
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'When verifying: a request not in Helicone is pending (and not pushed) until it is this old')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'The output''s shape: a table, tab-separated values with a header line, or JSON [default: table]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each call to Helicone''s REST API, in seconds [default: 30]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every matching record')
            [CompletionResult]::new('--include-direct', '--include-direct', [CompletionResultType]::ParameterName, 'Also push requests sent with --direct, which Helicone never saw')
            [CompletionResult]::new('--no-verify', '--no-verify', [CompletionResultType]::ParameterName, 'Push without asking Helicone first (requests already pushed are still skipped)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would be sent (URL, headers with the key masked, payload); send nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'The same as --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No notes or warnings; only the report and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No notes or warnings; only the report and errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hcl;log;stats' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The newest N matching records [log list: 20]')
            [CompletionResult]::new('--last', '--last', [CompletionResultType]::ParameterName, 'The newest N matching records [log list: 20]')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Records since WHEN: a duration ago (`2h`, `30m`, `7days`) or an RFC 3339 time')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Only records of this provider')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Only records of this model')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'Only records sent with `Helicone-Property-KEY: VALUE` (repeatable; all must match)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only exchanges that succeeded (`ok`: a 2xx answer) or failed (`error`)')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Only the requests of this `hcl chat --batch` run (its Hcl-Batch property)')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Group by `provider`, `model`, `batch` or `property:NAME` [default: one row for everything]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'The output''s shape: a table, tab-separated values with a header line, or JSON [default: table]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every matching record')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'The same as --format json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hcl;log;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List logged exchanges, newest last')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print one record as pretty JSON (an id or a unique prefix of one)')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the log file''s path')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write logged exchanges to a file other tools open (every record unless narrowed)')
            [CompletionResult]::new('conversations', 'conversations', [CompletionResultType]::ParameterValue, 'List conversations: id, turns, first prompt, providers, model and last activity')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Ask Helicone whether it logged each selected request: logged, missing, pending, direct, mismatch')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Send the requests Helicone lacks through its custom-logging API, once each')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Counts, errors, cache hit rate, tokens, cost and latency percentiles, grouped with --by')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hcl;log;help;list' {
            break
        }
        'hcl;log;help;show' {
            break
        }
        'hcl;log;help;path' {
            break
        }
        'hcl;log;help;export' {
            break
        }
        'hcl;log;help;conversations' {
            break
        }
        'hcl;log;help;verify' {
            break
        }
        'hcl;log;help;push' {
            break
        }
        'hcl;log;help;stats' {
            break
        }
        'hcl;log;help;help' {
            break
        }
        'hcl;replay' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The newest N matching records [log list: 20]')
            [CompletionResult]::new('--last', '--last', [CompletionResultType]::ParameterName, 'The newest N matching records [log list: 20]')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Records since WHEN: a duration ago (`2h`, `30m`, `7days`) or an RFC 3339 time')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Only records of this provider')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Only records of this model')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'Only records sent with `Helicone-Property-KEY: VALUE` (repeatable; all must match)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only exchanges that succeeded (`ok`: a 2xx answer) or failed (`error`)')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Only the requests of this `hcl chat --batch` run (its Hcl-Batch property)')
            [CompletionResult]::new('--repeat', '--repeat', [CompletionResultType]::ParameterName, 'Send each request N times, one after another (a bucket of size N needs N sends to hit)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Requests in flight at once')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Requests in flight at once')
            [CompletionResult]::new('--expect', '--expect', [CompletionResultType]::ParameterName, 'Exit 6 unless every replay was a HIT (or a MISS); with --repeat, the last send of each request counts')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Send to this Helicone base instead of the logged one (the URL is part of the cache key)')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Extra header `Name: value`, replacing a logged one of that name (repeatable)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra header `Name: value`, replacing a logged one of that name (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Whole-request timeout in seconds [default: 600]')
            [CompletionResult]::new('--junit', '--junit', [CompletionResultType]::ParameterName, 'Write a JUnit XML report to FILE, one testcase per replay')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every matching record')
            [CompletionResult]::new('--include-replays', '--include-replays', [CompletionResultType]::ParameterName, 'Also select records that are themselves replays')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'Add `Helicone-Cache-Enabled: true` to requests first sent without caching')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the report as one JSON object')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Don''t append the replays to the request log')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No notes or warnings; only the report and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No notes or warnings; only the report and errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hcl;auth' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Store a key in the OS keyring, read from stdin when piped, else from a hidden prompt')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a key from the OS keyring')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show where each key was found (env, keyring, config or none), as a fingerprint')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Say what the Helicone key can do: proxy logging, read and write, each on its own')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hcl;auth;set' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hcl;auth;delete' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hcl;auth;status' {
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON instead of a table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hcl;auth;check' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Whole-request timeout in seconds [default: 30]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object instead of text')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hcl;auth;help' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Store a key in the OS keyring, read from stdin when piped, else from a hidden prompt')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a key from the OS keyring')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show where each key was found (env, keyring, config or none), as a fingerprint')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Say what the Helicone key can do: proxy logging, read and write, each on its own')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hcl;auth;help;set' {
            break
        }
        'hcl;auth;help;delete' {
            break
        }
        'hcl;auth;help;status' {
            break
        }
        'hcl;auth;help;check' {
            break
        }
        'hcl;auth;help;help' {
            break
        }
        'hcl;feedback' {
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Every successful request of this `hcl chat --batch` run (its Hcl-Batch property)')
            [CompletionResult]::new('--results', '--results', [CompletionResultType]::ParameterName, 'Every request named (by log_id) in this `hcl chat --batch` results file')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each call to Helicone''s REST API, in seconds [default: 30]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object instead of text')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hcl;score' {
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Every successful request of this `hcl chat --batch` run (its Hcl-Batch property)')
            [CompletionResult]::new('--results', '--results', [CompletionResultType]::ParameterName, 'Every request named (by log_id) in this `hcl chat --batch` results file')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of each call to Helicone''s REST API, in seconds [default: 30]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object instead of text')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hcl;config' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the config file''s path (HCL_CONFIG, else the platform''s config directory)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the effective settings and where each came from; keys as fingerprints')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hcl;config;path' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hcl;config;show' {
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON instead of a table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hcl;config;help' {
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the config file''s path (HCL_CONFIG, else the platform''s config directory)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the effective settings and where each came from; keys as fingerprints')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hcl;config;help;path' {
            break
        }
        'hcl;config;help;show' {
            break
        }
        'hcl;config;help;help' {
            break
        }
        'hcl;templates' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the saved templates with their descriptions')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a template''s file')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Open a template in $VISUAL/$EDITOR (a new one starts from a commented example), then check it')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the templates directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hcl;templates;list' {
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON Lines instead of a table')
            [CompletionResult]::new('--names', '--names', [CompletionResultType]::ParameterName, 'Print only the names, one a line (for scripts and shell completion)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hcl;templates;show' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hcl;templates;edit' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hcl;templates;path' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hcl;templates;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the saved templates with their descriptions')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a template''s file')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Open a template in $VISUAL/$EDITOR (a new one starts from a commented example), then check it')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the templates directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hcl;templates;help;list' {
            break
        }
        'hcl;templates;help;show' {
            break
        }
        'hcl;templates;help;edit' {
            break
        }
        'hcl;templates;help;path' {
            break
        }
        'hcl;templates;help;help' {
            break
        }
        'hcl;completions' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hcl;generate-docs' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The repository root to write `man/` and `completions/` under')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Compare instead of writing; exit 1 when a file is out of date')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hcl;help' {
            [CompletionResult]::new('chat', 'chat', [CompletionResultType]::ParameterValue, 'Send one chat request and print the answer; on a terminal with no prompt, chat interactively')
            [CompletionResult]::new('stream', 'stream', [CompletionResultType]::ParameterValue, 'Send one chat request and print the answer token by token as it arrives')
            [CompletionResult]::new('providers', 'providers', [CompletionResultType]::ParameterValue, 'Show the provider table: routing, wire format and where each key was found')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Read the local request log')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Re-send logged requests and report, for each, whether Helicone''s cache answered')
            [CompletionResult]::new('auth', 'auth', [CompletionResultType]::ParameterValue, 'Keys in the OS keyring, where each key was found, and a Helicone key check')
            [CompletionResult]::new('feedback', 'feedback', [CompletionResultType]::ParameterValue, 'Rate logged requests good or bad in Helicone (by log id prefix, or a whole batch)')
            [CompletionResult]::new('score', 'score', [CompletionResultType]::ParameterValue, 'Attach scores (integers or booleans) to logged requests in Helicone')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'The config file: its path and the effective settings')
            [CompletionResult]::new('templates', 'templates', [CompletionResultType]::ParameterValue, 'Saved request templates (`-t NAME`, `--save NAME`): list, show, edit, path')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('generate-docs', 'generate-docs', [CompletionResultType]::ParameterValue, 'Write the man pages and completion scripts from the CLI definition')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hcl;help;chat' {
            break
        }
        'hcl;help;stream' {
            break
        }
        'hcl;help;providers' {
            break
        }
        'hcl;help;log' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List logged exchanges, newest last')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print one record as pretty JSON (an id or a unique prefix of one)')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the log file''s path')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write logged exchanges to a file other tools open (every record unless narrowed)')
            [CompletionResult]::new('conversations', 'conversations', [CompletionResultType]::ParameterValue, 'List conversations: id, turns, first prompt, providers, model and last activity')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Ask Helicone whether it logged each selected request: logged, missing, pending, direct, mismatch')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Send the requests Helicone lacks through its custom-logging API, once each')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Counts, errors, cache hit rate, tokens, cost and latency percentiles, grouped with --by')
            break
        }
        'hcl;help;log;list' {
            break
        }
        'hcl;help;log;show' {
            break
        }
        'hcl;help;log;path' {
            break
        }
        'hcl;help;log;export' {
            break
        }
        'hcl;help;log;conversations' {
            break
        }
        'hcl;help;log;verify' {
            break
        }
        'hcl;help;log;push' {
            break
        }
        'hcl;help;log;stats' {
            break
        }
        'hcl;help;replay' {
            break
        }
        'hcl;help;auth' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Store a key in the OS keyring, read from stdin when piped, else from a hidden prompt')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a key from the OS keyring')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show where each key was found (env, keyring, config or none), as a fingerprint')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Say what the Helicone key can do: proxy logging, read and write, each on its own')
            break
        }
        'hcl;help;auth;set' {
            break
        }
        'hcl;help;auth;delete' {
            break
        }
        'hcl;help;auth;status' {
            break
        }
        'hcl;help;auth;check' {
            break
        }
        'hcl;help;feedback' {
            break
        }
        'hcl;help;score' {
            break
        }
        'hcl;help;config' {
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the config file''s path (HCL_CONFIG, else the platform''s config directory)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the effective settings and where each came from; keys as fingerprints')
            break
        }
        'hcl;help;config;path' {
            break
        }
        'hcl;help;config;show' {
            break
        }
        'hcl;help;templates' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the saved templates with their descriptions')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a template''s file')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Open a template in $VISUAL/$EDITOR (a new one starts from a commented example), then check it')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the templates directory')
            break
        }
        'hcl;help;templates;list' {
            break
        }
        'hcl;help;templates;show' {
            break
        }
        'hcl;help;templates;edit' {
            break
        }
        'hcl;help;templates;path' {
            break
        }
        'hcl;help;completions' {
            break
        }
        'hcl;help;generate-docs' {
            break
        }
        'hcl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}

# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_hcl_global_optspecs
    string join \n h/help V/version
end

function __fish_hcl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_hcl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_hcl_using_subcommand
    set -l cmd (__fish_hcl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c hcl -n "__fish_hcl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hcl -n "__fish_hcl_needs_command" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_needs_command" -f -a "chat" -d 'Send one chat request and print the answer; on a terminal with no prompt, chat interactively'
complete -c hcl -n "__fish_hcl_needs_command" -f -a "stream" -d 'Send one chat request and print the answer token by token as it arrives'
complete -c hcl -n "__fish_hcl_needs_command" -f -a "providers" -d 'Show the provider table: routing, wire format and where each key was found'
complete -c hcl -n "__fish_hcl_needs_command" -f -a "log" -d 'Read the local request log'
complete -c hcl -n "__fish_hcl_needs_command" -f -a "replay" -d 'Re-send logged requests and report, for each, whether Helicone\'s cache answered'
complete -c hcl -n "__fish_hcl_needs_command" -f -a "auth" -d 'Keys in the OS keyring, where each key was found, and a Helicone key check'
complete -c hcl -n "__fish_hcl_needs_command" -f -a "feedback" -d 'Rate logged requests good or bad in Helicone (by log id prefix, or a whole batch)'
complete -c hcl -n "__fish_hcl_needs_command" -f -a "score" -d 'Attach scores (integers or booleans) to logged requests in Helicone'
complete -c hcl -n "__fish_hcl_needs_command" -f -a "config" -d 'The config file: its path and the effective settings'
complete -c hcl -n "__fish_hcl_needs_command" -f -a "templates" -d 'Saved request templates (`-t NAME`, `--save NAME`): list, show, edit, path'
complete -c hcl -n "__fish_hcl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c hcl -n "__fish_hcl_needs_command" -f -a "generate-docs" -d 'Write the man pages and completion scripts from the CLI definition'
complete -c hcl -n "__fish_hcl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hcl -n "__fish_hcl_using_subcommand chat" -s P -l provider -d 'Provider row (see `hcl providers`); default from the config file, else `openai`' -r -f -a "openai\t''
azure\t''
anthropic\t''
gemini\t''
vertex\t''
groq\t''
together\t''
openrouter\t''
mistral\t''
fireworks\t''
perplexity\t''
deepseek\t''
xai\t''
deepinfra\t''
cerebras\t''
gateway\t''
ai-gateway\t''
bedrock\t''"
complete -c hcl -n "__fish_hcl_using_subcommand chat" -s m -l model -d 'Model (for Azure, the deployment); default per provider' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -s f -l file -d 'Attach a file (repeatable; `-` = stdin): text inline, images and PDFs as native parts' -r -F
complete -c hcl -n "__fish_hcl_using_subcommand chat" -s s -l system -d 'System prompt' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l max-tokens -d 'Maximum output tokens (Anthropic requires one; hcl sends 1024 when none is given)' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l temperature -d 'Sampling temperature (OpenAI and Gemini 0-2, Anthropic 0-1)' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l top-p -d 'Nucleus sampling: draw only from the most likely tokens that make up probability P (0-1)' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l seed -d 'Seed for repeatable sampling, best effort (OpenAI, Gemini; Anthropic has none)' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l stop -d 'Stop generating at this text (repeatable; OpenAI takes 4, Gemini 5)' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l reasoning -d 'How hard the model thinks first: OpenAI reasoning_effort, Anthropic thinking, Gemini thinkingConfig' -r -f -a "low\t''
medium\t''
high\t''"
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l schema -d 'Structured output: the answer must be JSON valid against this JSON Schema (a file, or the JSON itself)' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -s o -l option -d 'Set any body field: KEY is a dotted path, VALUE JSON when it parses, else text (repeatable)' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -s t -l template -d 'Apply a saved template (see `hcl templates`): its settings under the flags given' -r -f -a "(hcl templates list --names 2>/dev/null)"
complete -c hcl -n "__fish_hcl_using_subcommand chat" -s p -l property -d 'Custom property: `Helicone-Property-KEY: VALUE` (repeatable)' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -s u -l user -d 'User id: `Helicone-User-Id`' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l session -d 'Session id: `Helicone-Session-Id`' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l session-path -d 'Session path, such as `/plan/step-1`: `Helicone-Session-Path`' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l session-name -d 'Session name: `Helicone-Session-Name`' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l cache-ttl -d 'Cache TTL in seconds (at most 365 days): `Cache-Control: max-age=SECS`' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l cache-bucket -d 'Responses kept per cache key, 1-20: `Helicone-Cache-Bucket-Max-Size`' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l cache-seed -d 'Cache namespace: `Helicone-Cache-Seed`' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l retry-num -d 'Total attempts Helicone makes (implies --retry): `Helicone-Retry-Num`' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l retry-factor -d 'Backoff factor (implies --retry): `Helicone-Retry-Factor`' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l retry-min-timeout -d 'Shortest backoff in ms (implies --retry): `Helicone-Retry-Min-Timeout`' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l retry-max-timeout -d 'Longest backoff in ms (implies --retry): `Helicone-Retry-Max-Timeout`' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l rate-limit -d 'Rate-limit policy `QUOTA;w=SECS[;u=request|cents][;s=user|PROPERTY]`: `Helicone-RateLimit-Policy`' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l request-id -d 'Request id, a UUID v1-v5: `Helicone-Request-Id` (default: the log record\'s id)' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -s H -l header -d 'Extra header `Name: value` (repeatable)' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l base-url -d 'Replace the provider\'s Helicone base URL (self-hosted Helicone, tests)' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l target-url -d 'For `-P gateway`: the upstream origin, sent as `Helicone-Target-Url`' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l format -d 'For `-P gateway`: the upstream\'s wire format' -r -f -a "openai\t''
anthropic\t''
gemini\t''"
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l connect-timeout -d 'Connect timeout in seconds [default: 10]' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l timeout -d 'Whole-request timeout in seconds [default: 600]' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l idle-timeout -d 'Longest silence allowed mid-stream, in seconds [default: 60]' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l cacert -d 'Trust an extra CA certificate (PEM); HTTPS_PROXY, ALL_PROXY and NO_PROXY are honoured' -r -F
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l save -d 'Save the request flags as template NAME (see `hcl templates`) instead of sending' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l batch -d 'Run every line of a JSON Lines file (`-` = stdin) as one request; print one JSON result line per input line' -r -F
complete -c hcl -n "__fish_hcl_using_subcommand chat" -s j -l concurrency -d 'Requests in flight at once [default: 8]' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l rps -d 'Start at most R requests per second (retries included)' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l max-retries -d 'Client-side retries on 429, 5xx and connection errors, honouring Retry-After [default: 2]' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l resume -d 'Skip input lines whose `id` already succeeded in an earlier results file' -r -F
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l conversation -d 'Continue the conversation with this id, or a unique prefix of one (see `hcl log conversations`)' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l max-history-tokens -d 'Drop the oldest turns when the history would exceed about N tokens (4 characters a token); a note says how many' -r
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l json-object -d 'Ask for the answer as one JSON object (OpenAI needs the word JSON in the prompt)'
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l cache -d 'Enable Helicone\'s cache: `Helicone-Cache-Enabled: true`'
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l retry -d 'Let Helicone retry 429 and 5xx upstream answers: `Helicone-Retry-Enabled: true`'
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l omit-request -d 'Don\'t store the request body in Helicone: `Helicone-Omit-Request: true`'
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l omit-response -d 'Don\'t store the response body in Helicone: `Helicone-Omit-Response: true`'
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l direct -d 'Bypass Helicone: send to the provider\'s own origin, without Helicone headers'
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l curl -d 'Print an equivalent curl command, secrets as $ENV_VAR references; nothing is sent'
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l dry-run -d 'Print the exact request, secrets masked; nothing is sent or logged'
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l json -d 'Print one JSON object instead of text'
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l no-log -d 'Don\'t append to the request log'
complete -c hcl -n "__fish_hcl_using_subcommand chat" -s v -l verbose -d 'Helicone response metadata on stderr'
complete -c hcl -n "__fish_hcl_using_subcommand chat" -s q -l quiet -d 'Nothing but the answer'
complete -c hcl -n "__fish_hcl_using_subcommand chat" -s e -l edit -d 'Write the prompt in $VISUAL or $EDITOR (else vi), opened on the arguments and stdin'
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l stream -d 'Stream the answer, printing each token as it arrives (the same as `hcl stream`)'
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l no-stream -d 'Print the answer when complete, even where the config file says `stream = true`'
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l show-thinking -d 'When streaming, show the model\'s reasoning (thinking) on stderr as it arrives'
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l unordered -d 'Write each result as it completes instead of in input order'
complete -c hcl -n "__fish_hcl_using_subcommand chat" -l fail-fast -d 'Stop launching requests at the first failure'
complete -c hcl -n "__fish_hcl_using_subcommand chat" -s c -l continue -d 'Continue the most recent conversation in the log: its history is sent again, in the same Helicone session'
complete -c hcl -n "__fish_hcl_using_subcommand chat" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hcl -n "__fish_hcl_using_subcommand chat" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand stream" -s P -l provider -d 'Provider row (see `hcl providers`); default from the config file, else `openai`' -r -f -a "openai\t''
azure\t''
anthropic\t''
gemini\t''
vertex\t''
groq\t''
together\t''
openrouter\t''
mistral\t''
fireworks\t''
perplexity\t''
deepseek\t''
xai\t''
deepinfra\t''
cerebras\t''
gateway\t''
ai-gateway\t''
bedrock\t''"
complete -c hcl -n "__fish_hcl_using_subcommand stream" -s m -l model -d 'Model (for Azure, the deployment); default per provider' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -s f -l file -d 'Attach a file (repeatable; `-` = stdin): text inline, images and PDFs as native parts' -r -F
complete -c hcl -n "__fish_hcl_using_subcommand stream" -s s -l system -d 'System prompt' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l max-tokens -d 'Maximum output tokens (Anthropic requires one; hcl sends 1024 when none is given)' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l temperature -d 'Sampling temperature (OpenAI and Gemini 0-2, Anthropic 0-1)' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l top-p -d 'Nucleus sampling: draw only from the most likely tokens that make up probability P (0-1)' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l seed -d 'Seed for repeatable sampling, best effort (OpenAI, Gemini; Anthropic has none)' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l stop -d 'Stop generating at this text (repeatable; OpenAI takes 4, Gemini 5)' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l reasoning -d 'How hard the model thinks first: OpenAI reasoning_effort, Anthropic thinking, Gemini thinkingConfig' -r -f -a "low\t''
medium\t''
high\t''"
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l schema -d 'Structured output: the answer must be JSON valid against this JSON Schema (a file, or the JSON itself)' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -s o -l option -d 'Set any body field: KEY is a dotted path, VALUE JSON when it parses, else text (repeatable)' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -s t -l template -d 'Apply a saved template (see `hcl templates`): its settings under the flags given' -r -f -a "(hcl templates list --names 2>/dev/null)"
complete -c hcl -n "__fish_hcl_using_subcommand stream" -s p -l property -d 'Custom property: `Helicone-Property-KEY: VALUE` (repeatable)' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -s u -l user -d 'User id: `Helicone-User-Id`' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l session -d 'Session id: `Helicone-Session-Id`' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l session-path -d 'Session path, such as `/plan/step-1`: `Helicone-Session-Path`' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l session-name -d 'Session name: `Helicone-Session-Name`' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l cache-ttl -d 'Cache TTL in seconds (at most 365 days): `Cache-Control: max-age=SECS`' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l cache-bucket -d 'Responses kept per cache key, 1-20: `Helicone-Cache-Bucket-Max-Size`' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l cache-seed -d 'Cache namespace: `Helicone-Cache-Seed`' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l retry-num -d 'Total attempts Helicone makes (implies --retry): `Helicone-Retry-Num`' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l retry-factor -d 'Backoff factor (implies --retry): `Helicone-Retry-Factor`' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l retry-min-timeout -d 'Shortest backoff in ms (implies --retry): `Helicone-Retry-Min-Timeout`' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l retry-max-timeout -d 'Longest backoff in ms (implies --retry): `Helicone-Retry-Max-Timeout`' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l rate-limit -d 'Rate-limit policy `QUOTA;w=SECS[;u=request|cents][;s=user|PROPERTY]`: `Helicone-RateLimit-Policy`' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l request-id -d 'Request id, a UUID v1-v5: `Helicone-Request-Id` (default: the log record\'s id)' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -s H -l header -d 'Extra header `Name: value` (repeatable)' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l base-url -d 'Replace the provider\'s Helicone base URL (self-hosted Helicone, tests)' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l target-url -d 'For `-P gateway`: the upstream origin, sent as `Helicone-Target-Url`' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l format -d 'For `-P gateway`: the upstream\'s wire format' -r -f -a "openai\t''
anthropic\t''
gemini\t''"
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l connect-timeout -d 'Connect timeout in seconds [default: 10]' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l timeout -d 'Whole-request timeout in seconds [default: 600]' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l idle-timeout -d 'Longest silence allowed mid-stream, in seconds [default: 60]' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l cacert -d 'Trust an extra CA certificate (PEM); HTTPS_PROXY, ALL_PROXY and NO_PROXY are honoured' -r -F
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l save -d 'Save the request flags as template NAME (see `hcl templates`) instead of sending' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l conversation -d 'Continue the conversation with this id, or a unique prefix of one (see `hcl log conversations`)' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l max-history-tokens -d 'Drop the oldest turns when the history would exceed about N tokens (4 characters a token); a note says how many' -r
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l json-object -d 'Ask for the answer as one JSON object (OpenAI needs the word JSON in the prompt)'
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l cache -d 'Enable Helicone\'s cache: `Helicone-Cache-Enabled: true`'
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l retry -d 'Let Helicone retry 429 and 5xx upstream answers: `Helicone-Retry-Enabled: true`'
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l omit-request -d 'Don\'t store the request body in Helicone: `Helicone-Omit-Request: true`'
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l omit-response -d 'Don\'t store the response body in Helicone: `Helicone-Omit-Response: true`'
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l direct -d 'Bypass Helicone: send to the provider\'s own origin, without Helicone headers'
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l curl -d 'Print an equivalent curl command, secrets as $ENV_VAR references; nothing is sent'
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l dry-run -d 'Print the exact request, secrets masked; nothing is sent or logged'
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l json -d 'Print one JSON object instead of text'
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l no-log -d 'Don\'t append to the request log'
complete -c hcl -n "__fish_hcl_using_subcommand stream" -s v -l verbose -d 'Helicone response metadata on stderr'
complete -c hcl -n "__fish_hcl_using_subcommand stream" -s q -l quiet -d 'Nothing but the answer'
complete -c hcl -n "__fish_hcl_using_subcommand stream" -s e -l edit -d 'Write the prompt in $VISUAL or $EDITOR (else vi), opened on the arguments and stdin'
complete -c hcl -n "__fish_hcl_using_subcommand stream" -l show-thinking -d 'Show the model\'s reasoning (thinking) on stderr as it arrives'
complete -c hcl -n "__fish_hcl_using_subcommand stream" -s c -l continue -d 'Continue the most recent conversation in the log: its history is sent again, in the same Helicone session'
complete -c hcl -n "__fish_hcl_using_subcommand stream" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hcl -n "__fish_hcl_using_subcommand stream" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand providers" -l json -d 'Print the table as JSON'
complete -c hcl -n "__fish_hcl_using_subcommand providers" -s h -l help -d 'Print help'
complete -c hcl -n "__fish_hcl_using_subcommand providers" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand log; and not __fish_seen_subcommand_from list show path export conversations verify push stats help" -s h -l help -d 'Print help'
complete -c hcl -n "__fish_hcl_using_subcommand log; and not __fish_seen_subcommand_from list show path export conversations verify push stats help" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand log; and not __fish_seen_subcommand_from list show path export conversations verify push stats help" -f -a "list" -d 'List logged exchanges, newest last'
complete -c hcl -n "__fish_hcl_using_subcommand log; and not __fish_seen_subcommand_from list show path export conversations verify push stats help" -f -a "show" -d 'Print one record as pretty JSON (an id or a unique prefix of one)'
complete -c hcl -n "__fish_hcl_using_subcommand log; and not __fish_seen_subcommand_from list show path export conversations verify push stats help" -f -a "path" -d 'Print the log file\'s path'
complete -c hcl -n "__fish_hcl_using_subcommand log; and not __fish_seen_subcommand_from list show path export conversations verify push stats help" -f -a "export" -d 'Write logged exchanges to a file other tools open (every record unless narrowed)'
complete -c hcl -n "__fish_hcl_using_subcommand log; and not __fish_seen_subcommand_from list show path export conversations verify push stats help" -f -a "conversations" -d 'List conversations: id, turns, first prompt, providers, model and last activity'
complete -c hcl -n "__fish_hcl_using_subcommand log; and not __fish_seen_subcommand_from list show path export conversations verify push stats help" -f -a "verify" -d 'Ask Helicone whether it logged each selected request: logged, missing, pending, direct, mismatch'
complete -c hcl -n "__fish_hcl_using_subcommand log; and not __fish_seen_subcommand_from list show path export conversations verify push stats help" -f -a "push" -d 'Send the requests Helicone lacks through its custom-logging API, once each'
complete -c hcl -n "__fish_hcl_using_subcommand log; and not __fish_seen_subcommand_from list show path export conversations verify push stats help" -f -a "stats" -d 'Counts, errors, cache hit rate, tokens, cost and latency percentiles, grouped with --by'
complete -c hcl -n "__fish_hcl_using_subcommand log; and not __fish_seen_subcommand_from list show path export conversations verify push stats help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from list" -s n -l last -d 'The newest N matching records [log list: 20]' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from list" -l since -d 'Records since WHEN: a duration ago (`2h`, `30m`, `7days`) or an RFC 3339 time' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from list" -l provider -d 'Only records of this provider' -r -f -a "openai\t''
azure\t''
anthropic\t''
gemini\t''
vertex\t''
groq\t''
together\t''
openrouter\t''
mistral\t''
fireworks\t''
perplexity\t''
deepseek\t''
xai\t''
deepinfra\t''
cerebras\t''
gateway\t''
ai-gateway\t''
bedrock\t''"
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from list" -l model -d 'Only records of this model' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from list" -l property -d 'Only records sent with `Helicone-Property-KEY: VALUE` (repeatable; all must match)' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from list" -l status -d 'Only exchanges that succeeded (`ok`: a 2xx answer) or failed (`error`)' -r -f -a "ok\t''
error\t''"
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from list" -l batch -d 'Only the requests of this `hcl chat --batch` run (its Hcl-Batch property)' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from list" -l all -d 'Every matching record'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from list" -l json -d 'Print JSON Lines instead of a table'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from show" -l conversation -d 'Print the transcript of this conversation (an id or a unique prefix) as Markdown' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from show" -l json -d 'With --conversation: the transcript as one JSON object'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from path" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from export" -l har -d 'Write HAR 1.2 (browser devtools, HTTP tools) to FILE; `-` is stdout' -r -F
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from export" -s n -l last -d 'The newest N matching records [log list: 20]' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from export" -l since -d 'Records since WHEN: a duration ago (`2h`, `30m`, `7days`) or an RFC 3339 time' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from export" -l provider -d 'Only records of this provider' -r -f -a "openai\t''
azure\t''
anthropic\t''
gemini\t''
vertex\t''
groq\t''
together\t''
openrouter\t''
mistral\t''
fireworks\t''
perplexity\t''
deepseek\t''
xai\t''
deepinfra\t''
cerebras\t''
gateway\t''
ai-gateway\t''
bedrock\t''"
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from export" -l model -d 'Only records of this model' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from export" -l property -d 'Only records sent with `Helicone-Property-KEY: VALUE` (repeatable; all must match)' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from export" -l status -d 'Only exchanges that succeeded (`ok`: a 2xx answer) or failed (`error`)' -r -f -a "ok\t''
error\t''"
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from export" -l batch -d 'Only the requests of this `hcl chat --batch` run (its Hcl-Batch property)' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from export" -l all -d 'Every matching record'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from conversations" -s n -l last -d 'The N most recently active conversations [default: 20]' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from conversations" -l all -d 'Every conversation'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from conversations" -l json -d 'Print JSON Lines instead of a table'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from conversations" -s h -l help -d 'Print help'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from conversations" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from verify" -s n -l last -d 'The newest N matching records [log list: 20]' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from verify" -l since -d 'Records since WHEN: a duration ago (`2h`, `30m`, `7days`) or an RFC 3339 time' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from verify" -l provider -d 'Only records of this provider' -r -f -a "openai\t''
azure\t''
anthropic\t''
gemini\t''
vertex\t''
groq\t''
together\t''
openrouter\t''
mistral\t''
fireworks\t''
perplexity\t''
deepseek\t''
xai\t''
deepinfra\t''
cerebras\t''
gateway\t''
ai-gateway\t''
bedrock\t''"
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from verify" -l model -d 'Only records of this model' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from verify" -l property -d 'Only records sent with `Helicone-Property-KEY: VALUE` (repeatable; all must match)' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from verify" -l status -d 'Only exchanges that succeeded (`ok`: a 2xx answer) or failed (`error`)' -r -f -a "ok\t''
error\t''"
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from verify" -l batch -d 'Only the requests of this `hcl chat --batch` run (its Hcl-Batch property)' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from verify" -l grace -d 'A request not in Helicone is pending, not missing, until it is this old (`30s`, `10m`, `2h`)' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from verify" -l expect -d 'Exit 6 when a request is missing or mismatched (pending and direct ones do not count)' -r -f -a "logged\t''"
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from verify" -l junit -d 'Write a JUnit XML report to FILE, one testcase per request' -r -F
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from verify" -l format -d 'The output\'s shape: a table, tab-separated values with a header line, or JSON [default: table]' -r -f -a "table\t''
tsv\t''
json\t''"
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from verify" -l timeout -d 'Timeout of each call to Helicone\'s REST API, in seconds [default: 30]' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from verify" -l all -d 'Every matching record'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from verify" -l json -d 'The same as --format json'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'No notes or warnings; only the report and errors'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from push" -s n -l last -d 'The newest N matching records [log list: 20]' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from push" -l since -d 'Records since WHEN: a duration ago (`2h`, `30m`, `7days`) or an RFC 3339 time' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from push" -l provider -d 'Only records of this provider' -r -f -a "openai\t''
azure\t''
anthropic\t''
gemini\t''
vertex\t''
groq\t''
together\t''
openrouter\t''
mistral\t''
fireworks\t''
perplexity\t''
deepseek\t''
xai\t''
deepinfra\t''
cerebras\t''
gateway\t''
ai-gateway\t''
bedrock\t''"
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from push" -l model -d 'Only records of this model' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from push" -l property -d 'Only records sent with `Helicone-Property-KEY: VALUE` (repeatable; all must match)' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from push" -l status -d 'Only exchanges that succeeded (`ok`: a 2xx answer) or failed (`error`)' -r -f -a "ok\t''
error\t''"
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from push" -l batch -d 'Only the requests of this `hcl chat --batch` run (its Hcl-Batch property)' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from push" -l grace -d 'When verifying: a request not in Helicone is pending (and not pushed) until it is this old' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from push" -l format -d 'The output\'s shape: a table, tab-separated values with a header line, or JSON [default: table]' -r -f -a "table\t''
tsv\t''
json\t''"
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from push" -l timeout -d 'Timeout of each call to Helicone\'s REST API, in seconds [default: 30]' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from push" -l all -d 'Every matching record'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from push" -l include-direct -d 'Also push requests sent with --direct, which Helicone never saw'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from push" -l no-verify -d 'Push without asking Helicone first (requests already pushed are still skipped)'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from push" -l dry-run -d 'Print what would be sent (URL, headers with the key masked, payload); send nothing'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from push" -l json -d 'The same as --format json'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from push" -s q -l quiet -d 'No notes or warnings; only the report and errors'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from push" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from push" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from stats" -s n -l last -d 'The newest N matching records [log list: 20]' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from stats" -l since -d 'Records since WHEN: a duration ago (`2h`, `30m`, `7days`) or an RFC 3339 time' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from stats" -l provider -d 'Only records of this provider' -r -f -a "openai\t''
azure\t''
anthropic\t''
gemini\t''
vertex\t''
groq\t''
together\t''
openrouter\t''
mistral\t''
fireworks\t''
perplexity\t''
deepseek\t''
xai\t''
deepinfra\t''
cerebras\t''
gateway\t''
ai-gateway\t''
bedrock\t''"
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from stats" -l model -d 'Only records of this model' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from stats" -l property -d 'Only records sent with `Helicone-Property-KEY: VALUE` (repeatable; all must match)' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from stats" -l status -d 'Only exchanges that succeeded (`ok`: a 2xx answer) or failed (`error`)' -r -f -a "ok\t''
error\t''"
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from stats" -l batch -d 'Only the requests of this `hcl chat --batch` run (its Hcl-Batch property)' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from stats" -l by -d 'Group by `provider`, `model`, `batch` or `property:NAME` [default: one row for everything]' -r
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from stats" -l format -d 'The output\'s shape: a table, tab-separated values with a header line, or JSON [default: table]' -r -f -a "table\t''
tsv\t''
json\t''"
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from stats" -l all -d 'Every matching record'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from stats" -l json -d 'The same as --format json'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from stats" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "list" -d 'List logged exchanges, newest last'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print one record as pretty JSON (an id or a unique prefix of one)'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print the log file\'s path'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "export" -d 'Write logged exchanges to a file other tools open (every record unless narrowed)'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "conversations" -d 'List conversations: id, turns, first prompt, providers, model and last activity'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Ask Helicone whether it logged each selected request: logged, missing, pending, direct, mismatch'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "push" -d 'Send the requests Helicone lacks through its custom-logging API, once each'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "stats" -d 'Counts, errors, cache hit rate, tokens, cost and latency percentiles, grouped with --by'
complete -c hcl -n "__fish_hcl_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hcl -n "__fish_hcl_using_subcommand replay" -s n -l last -d 'The newest N matching records [log list: 20]' -r
complete -c hcl -n "__fish_hcl_using_subcommand replay" -l since -d 'Records since WHEN: a duration ago (`2h`, `30m`, `7days`) or an RFC 3339 time' -r
complete -c hcl -n "__fish_hcl_using_subcommand replay" -l provider -d 'Only records of this provider' -r -f -a "openai\t''
azure\t''
anthropic\t''
gemini\t''
vertex\t''
groq\t''
together\t''
openrouter\t''
mistral\t''
fireworks\t''
perplexity\t''
deepseek\t''
xai\t''
deepinfra\t''
cerebras\t''
gateway\t''
ai-gateway\t''
bedrock\t''"
complete -c hcl -n "__fish_hcl_using_subcommand replay" -l model -d 'Only records of this model' -r
complete -c hcl -n "__fish_hcl_using_subcommand replay" -l property -d 'Only records sent with `Helicone-Property-KEY: VALUE` (repeatable; all must match)' -r
complete -c hcl -n "__fish_hcl_using_subcommand replay" -l status -d 'Only exchanges that succeeded (`ok`: a 2xx answer) or failed (`error`)' -r -f -a "ok\t''
error\t''"
complete -c hcl -n "__fish_hcl_using_subcommand replay" -l batch -d 'Only the requests of this `hcl chat --batch` run (its Hcl-Batch property)' -r
complete -c hcl -n "__fish_hcl_using_subcommand replay" -l repeat -d 'Send each request N times, one after another (a bucket of size N needs N sends to hit)' -r
complete -c hcl -n "__fish_hcl_using_subcommand replay" -s j -l concurrency -d 'Requests in flight at once' -r
complete -c hcl -n "__fish_hcl_using_subcommand replay" -l expect -d 'Exit 6 unless every replay was a HIT (or a MISS); with --repeat, the last send of each request counts' -r -f -a "hit\t''
miss\t''"
complete -c hcl -n "__fish_hcl_using_subcommand replay" -l base-url -d 'Send to this Helicone base instead of the logged one (the URL is part of the cache key)' -r
complete -c hcl -n "__fish_hcl_using_subcommand replay" -s H -l header -d 'Extra header `Name: value`, replacing a logged one of that name (repeatable)' -r
complete -c hcl -n "__fish_hcl_using_subcommand replay" -l timeout -d 'Whole-request timeout in seconds [default: 600]' -r
complete -c hcl -n "__fish_hcl_using_subcommand replay" -l junit -d 'Write a JUnit XML report to FILE, one testcase per replay' -r -F
complete -c hcl -n "__fish_hcl_using_subcommand replay" -l all -d 'Every matching record'
complete -c hcl -n "__fish_hcl_using_subcommand replay" -l include-replays -d 'Also select records that are themselves replays'
complete -c hcl -n "__fish_hcl_using_subcommand replay" -l cache -d 'Add `Helicone-Cache-Enabled: true` to requests first sent without caching'
complete -c hcl -n "__fish_hcl_using_subcommand replay" -l json -d 'Print the report as one JSON object'
complete -c hcl -n "__fish_hcl_using_subcommand replay" -l no-log -d 'Don\'t append the replays to the request log'
complete -c hcl -n "__fish_hcl_using_subcommand replay" -s q -l quiet -d 'No notes or warnings; only the report and errors'
complete -c hcl -n "__fish_hcl_using_subcommand replay" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hcl -n "__fish_hcl_using_subcommand replay" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand auth; and not __fish_seen_subcommand_from set delete status check help" -s h -l help -d 'Print help'
complete -c hcl -n "__fish_hcl_using_subcommand auth; and not __fish_seen_subcommand_from set delete status check help" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand auth; and not __fish_seen_subcommand_from set delete status check help" -f -a "set" -d 'Store a key in the OS keyring, read from stdin when piped, else from a hidden prompt'
complete -c hcl -n "__fish_hcl_using_subcommand auth; and not __fish_seen_subcommand_from set delete status check help" -f -a "delete" -d 'Delete a key from the OS keyring'
complete -c hcl -n "__fish_hcl_using_subcommand auth; and not __fish_seen_subcommand_from set delete status check help" -f -a "status" -d 'Show where each key was found (env, keyring, config or none), as a fingerprint'
complete -c hcl -n "__fish_hcl_using_subcommand auth; and not __fish_seen_subcommand_from set delete status check help" -f -a "check" -d 'Say what the Helicone key can do: proxy logging, read and write, each on its own'
complete -c hcl -n "__fish_hcl_using_subcommand auth; and not __fish_seen_subcommand_from set delete status check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hcl -n "__fish_hcl_using_subcommand auth; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hcl -n "__fish_hcl_using_subcommand auth; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand auth; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c hcl -n "__fish_hcl_using_subcommand auth; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand auth; and __fish_seen_subcommand_from status" -l json -d 'Print JSON instead of a table'
complete -c hcl -n "__fish_hcl_using_subcommand auth; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hcl -n "__fish_hcl_using_subcommand auth; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand auth; and __fish_seen_subcommand_from check" -l timeout -d 'Whole-request timeout in seconds [default: 30]' -r
complete -c hcl -n "__fish_hcl_using_subcommand auth; and __fish_seen_subcommand_from check" -l json -d 'Print one JSON object instead of text'
complete -c hcl -n "__fish_hcl_using_subcommand auth; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hcl -n "__fish_hcl_using_subcommand auth; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "set" -d 'Store a key in the OS keyring, read from stdin when piped, else from a hidden prompt'
complete -c hcl -n "__fish_hcl_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a key from the OS keyring'
complete -c hcl -n "__fish_hcl_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show where each key was found (env, keyring, config or none), as a fingerprint'
complete -c hcl -n "__fish_hcl_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "check" -d 'Say what the Helicone key can do: proxy logging, read and write, each on its own'
complete -c hcl -n "__fish_hcl_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hcl -n "__fish_hcl_using_subcommand feedback" -l batch -d 'Every successful request of this `hcl chat --batch` run (its Hcl-Batch property)' -r
complete -c hcl -n "__fish_hcl_using_subcommand feedback" -l results -d 'Every request named (by log_id) in this `hcl chat --batch` results file' -r -F
complete -c hcl -n "__fish_hcl_using_subcommand feedback" -l timeout -d 'Timeout of each call to Helicone\'s REST API, in seconds [default: 30]' -r
complete -c hcl -n "__fish_hcl_using_subcommand feedback" -l json -d 'Print one JSON object instead of text'
complete -c hcl -n "__fish_hcl_using_subcommand feedback" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hcl -n "__fish_hcl_using_subcommand feedback" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand score" -l batch -d 'Every successful request of this `hcl chat --batch` run (its Hcl-Batch property)' -r
complete -c hcl -n "__fish_hcl_using_subcommand score" -l results -d 'Every request named (by log_id) in this `hcl chat --batch` results file' -r -F
complete -c hcl -n "__fish_hcl_using_subcommand score" -l timeout -d 'Timeout of each call to Helicone\'s REST API, in seconds [default: 30]' -r
complete -c hcl -n "__fish_hcl_using_subcommand score" -l json -d 'Print one JSON object instead of text'
complete -c hcl -n "__fish_hcl_using_subcommand score" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hcl -n "__fish_hcl_using_subcommand score" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand config; and not __fish_seen_subcommand_from path show help" -s h -l help -d 'Print help'
complete -c hcl -n "__fish_hcl_using_subcommand config; and not __fish_seen_subcommand_from path show help" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand config; and not __fish_seen_subcommand_from path show help" -f -a "path" -d 'Print the config file\'s path (HCL_CONFIG, else the platform\'s config directory)'
complete -c hcl -n "__fish_hcl_using_subcommand config; and not __fish_seen_subcommand_from path show help" -f -a "show" -d 'Print the effective settings and where each came from; keys as fingerprints'
complete -c hcl -n "__fish_hcl_using_subcommand config; and not __fish_seen_subcommand_from path show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hcl -n "__fish_hcl_using_subcommand config; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help'
complete -c hcl -n "__fish_hcl_using_subcommand config; and __fish_seen_subcommand_from path" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand config; and __fish_seen_subcommand_from show" -l json -d 'Print JSON instead of a table'
complete -c hcl -n "__fish_hcl_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c hcl -n "__fish_hcl_using_subcommand config; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print the config file\'s path (HCL_CONFIG, else the platform\'s config directory)'
complete -c hcl -n "__fish_hcl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print the effective settings and where each came from; keys as fingerprints'
complete -c hcl -n "__fish_hcl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hcl -n "__fish_hcl_using_subcommand templates; and not __fish_seen_subcommand_from list show edit path help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hcl -n "__fish_hcl_using_subcommand templates; and not __fish_seen_subcommand_from list show edit path help" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand templates; and not __fish_seen_subcommand_from list show edit path help" -f -a "list" -d 'List the saved templates with their descriptions'
complete -c hcl -n "__fish_hcl_using_subcommand templates; and not __fish_seen_subcommand_from list show edit path help" -f -a "show" -d 'Print a template\'s file'
complete -c hcl -n "__fish_hcl_using_subcommand templates; and not __fish_seen_subcommand_from list show edit path help" -f -a "edit" -d 'Open a template in $VISUAL/$EDITOR (a new one starts from a commented example), then check it'
complete -c hcl -n "__fish_hcl_using_subcommand templates; and not __fish_seen_subcommand_from list show edit path help" -f -a "path" -d 'Print the templates directory'
complete -c hcl -n "__fish_hcl_using_subcommand templates; and not __fish_seen_subcommand_from list show edit path help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hcl -n "__fish_hcl_using_subcommand templates; and __fish_seen_subcommand_from list" -l json -d 'Print JSON Lines instead of a table'
complete -c hcl -n "__fish_hcl_using_subcommand templates; and __fish_seen_subcommand_from list" -l names -d 'Print only the names, one a line (for scripts and shell completion)'
complete -c hcl -n "__fish_hcl_using_subcommand templates; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c hcl -n "__fish_hcl_using_subcommand templates; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand templates; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c hcl -n "__fish_hcl_using_subcommand templates; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand templates; and __fish_seen_subcommand_from edit" -s h -l help -d 'Print help'
complete -c hcl -n "__fish_hcl_using_subcommand templates; and __fish_seen_subcommand_from edit" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand templates; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help'
complete -c hcl -n "__fish_hcl_using_subcommand templates; and __fish_seen_subcommand_from path" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand templates; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the saved templates with their descriptions'
complete -c hcl -n "__fish_hcl_using_subcommand templates; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print a template\'s file'
complete -c hcl -n "__fish_hcl_using_subcommand templates; and __fish_seen_subcommand_from help" -f -a "edit" -d 'Open a template in $VISUAL/$EDITOR (a new one starts from a commented example), then check it'
complete -c hcl -n "__fish_hcl_using_subcommand templates; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print the templates directory'
complete -c hcl -n "__fish_hcl_using_subcommand templates; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hcl -n "__fish_hcl_using_subcommand completions" -s h -l help -d 'Print help'
complete -c hcl -n "__fish_hcl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand generate-docs" -l dir -d 'The repository root to write `man/` and `completions/` under' -r -F
complete -c hcl -n "__fish_hcl_using_subcommand generate-docs" -l check -d 'Compare instead of writing; exit 1 when a file is out of date'
complete -c hcl -n "__fish_hcl_using_subcommand generate-docs" -s h -l help -d 'Print help'
complete -c hcl -n "__fish_hcl_using_subcommand generate-docs" -s V -l version -d 'Print version'
complete -c hcl -n "__fish_hcl_using_subcommand help; and not __fish_seen_subcommand_from chat stream providers log replay auth feedback score config templates completions generate-docs help" -f -a "chat" -d 'Send one chat request and print the answer; on a terminal with no prompt, chat interactively'
complete -c hcl -n "__fish_hcl_using_subcommand help; and not __fish_seen_subcommand_from chat stream providers log replay auth feedback score config templates completions generate-docs help" -f -a "stream" -d 'Send one chat request and print the answer token by token as it arrives'
complete -c hcl -n "__fish_hcl_using_subcommand help; and not __fish_seen_subcommand_from chat stream providers log replay auth feedback score config templates completions generate-docs help" -f -a "providers" -d 'Show the provider table: routing, wire format and where each key was found'
complete -c hcl -n "__fish_hcl_using_subcommand help; and not __fish_seen_subcommand_from chat stream providers log replay auth feedback score config templates completions generate-docs help" -f -a "log" -d 'Read the local request log'
complete -c hcl -n "__fish_hcl_using_subcommand help; and not __fish_seen_subcommand_from chat stream providers log replay auth feedback score config templates completions generate-docs help" -f -a "replay" -d 'Re-send logged requests and report, for each, whether Helicone\'s cache answered'
complete -c hcl -n "__fish_hcl_using_subcommand help; and not __fish_seen_subcommand_from chat stream providers log replay auth feedback score config templates completions generate-docs help" -f -a "auth" -d 'Keys in the OS keyring, where each key was found, and a Helicone key check'
complete -c hcl -n "__fish_hcl_using_subcommand help; and not __fish_seen_subcommand_from chat stream providers log replay auth feedback score config templates completions generate-docs help" -f -a "feedback" -d 'Rate logged requests good or bad in Helicone (by log id prefix, or a whole batch)'
complete -c hcl -n "__fish_hcl_using_subcommand help; and not __fish_seen_subcommand_from chat stream providers log replay auth feedback score config templates completions generate-docs help" -f -a "score" -d 'Attach scores (integers or booleans) to logged requests in Helicone'
complete -c hcl -n "__fish_hcl_using_subcommand help; and not __fish_seen_subcommand_from chat stream providers log replay auth feedback score config templates completions generate-docs help" -f -a "config" -d 'The config file: its path and the effective settings'
complete -c hcl -n "__fish_hcl_using_subcommand help; and not __fish_seen_subcommand_from chat stream providers log replay auth feedback score config templates completions generate-docs help" -f -a "templates" -d 'Saved request templates (`-t NAME`, `--save NAME`): list, show, edit, path'
complete -c hcl -n "__fish_hcl_using_subcommand help; and not __fish_seen_subcommand_from chat stream providers log replay auth feedback score config templates completions generate-docs help" -f -a "completions" -d 'Print a shell completion script'
complete -c hcl -n "__fish_hcl_using_subcommand help; and not __fish_seen_subcommand_from chat stream providers log replay auth feedback score config templates completions generate-docs help" -f -a "generate-docs" -d 'Write the man pages and completion scripts from the CLI definition'
complete -c hcl -n "__fish_hcl_using_subcommand help; and not __fish_seen_subcommand_from chat stream providers log replay auth feedback score config templates completions generate-docs help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hcl -n "__fish_hcl_using_subcommand help; and __fish_seen_subcommand_from log" -f -a "list" -d 'List logged exchanges, newest last'
complete -c hcl -n "__fish_hcl_using_subcommand help; and __fish_seen_subcommand_from log" -f -a "show" -d 'Print one record as pretty JSON (an id or a unique prefix of one)'
complete -c hcl -n "__fish_hcl_using_subcommand help; and __fish_seen_subcommand_from log" -f -a "path" -d 'Print the log file\'s path'
complete -c hcl -n "__fish_hcl_using_subcommand help; and __fish_seen_subcommand_from log" -f -a "export" -d 'Write logged exchanges to a file other tools open (every record unless narrowed)'
complete -c hcl -n "__fish_hcl_using_subcommand help; and __fish_seen_subcommand_from log" -f -a "conversations" -d 'List conversations: id, turns, first prompt, providers, model and last activity'
complete -c hcl -n "__fish_hcl_using_subcommand help; and __fish_seen_subcommand_from log" -f -a "verify" -d 'Ask Helicone whether it logged each selected request: logged, missing, pending, direct, mismatch'
complete -c hcl -n "__fish_hcl_using_subcommand help; and __fish_seen_subcommand_from log" -f -a "push" -d 'Send the requests Helicone lacks through its custom-logging API, once each'
complete -c hcl -n "__fish_hcl_using_subcommand help; and __fish_seen_subcommand_from log" -f -a "stats" -d 'Counts, errors, cache hit rate, tokens, cost and latency percentiles, grouped with --by'
complete -c hcl -n "__fish_hcl_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "set" -d 'Store a key in the OS keyring, read from stdin when piped, else from a hidden prompt'
complete -c hcl -n "__fish_hcl_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "delete" -d 'Delete a key from the OS keyring'
complete -c hcl -n "__fish_hcl_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "status" -d 'Show where each key was found (env, keyring, config or none), as a fingerprint'
complete -c hcl -n "__fish_hcl_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "check" -d 'Say what the Helicone key can do: proxy logging, read and write, each on its own'
complete -c hcl -n "__fish_hcl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "path" -d 'Print the config file\'s path (HCL_CONFIG, else the platform\'s config directory)'
complete -c hcl -n "__fish_hcl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Print the effective settings and where each came from; keys as fingerprints'
complete -c hcl -n "__fish_hcl_using_subcommand help; and __fish_seen_subcommand_from templates" -f -a "list" -d 'List the saved templates with their descriptions'
complete -c hcl -n "__fish_hcl_using_subcommand help; and __fish_seen_subcommand_from templates" -f -a "show" -d 'Print a template\'s file'
complete -c hcl -n "__fish_hcl_using_subcommand help; and __fish_seen_subcommand_from templates" -f -a "edit" -d 'Open a template in $VISUAL/$EDITOR (a new one starts from a commented example), then check it'
complete -c hcl -n "__fish_hcl_using_subcommand help; and __fish_seen_subcommand_from templates" -f -a "path" -d 'Print the templates directory'
complete -c hcl -n "__fish_hcl_using_subcommand templates; and __fish_seen_subcommand_from show edit" -f -a "(hcl templates list --names 2>/dev/null)"

//! `hcl chat` end to end against the fake gateway.

use crate::support::FakeGateway;
use crate::support::hcl::{HELICONE_KEY, Hcl, key_of, stderr, stdout};

#[test]
fn openai_chat_prints_the_answer_and_logs_it() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let out = hcl.cmd().args(["chat", "hello", "there"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Hello! You said: hello there\n");
    let req = gw.last_request();
    assert_eq!(req.path, "/v1/chat/completions");
    assert_eq!(
        req.header("authorization"),
        Some(format!("Bearer {}", key_of("OPENAI_API_KEY")).as_str())
    );
    assert_eq!(
        req.header("helicone-auth"),
        Some(format!("Bearer {HELICONE_KEY}").as_str())
    );
    let rec = hcl.last_record();
    assert_eq!(rec["response"]["text"], "Hello! You said: hello there");
    assert_eq!(rec["request"]["headers"]["Helicone-Request-Id"], rec["id"]);
    assert_eq!(rec["helicone"]["id"], rec["id"]);
    hcl.assert_log_has_no_keys();
}

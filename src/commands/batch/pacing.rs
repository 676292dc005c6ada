//! Pacing and pausing: `--rps` spacing, and a pause for everyone after a 429.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Where every attempt waits before it is sent: `--rps` spacing, and a pause
/// for everyone after a 429 that said how long to wait.
pub(super) struct Gate {
    interval: Option<Duration>,
    state: Mutex<GateState>,
}

struct GateState {
    next: Instant,
    paused_until: Option<Instant>,
}

impl Gate {
    pub(super) fn new(rps: Option<f64>) -> Gate {
        Gate {
            interval: rps.map(|r| Duration::from_secs_f64(1.0 / r)),
            state: Mutex::new(GateState {
                next: Instant::now(),
                paused_until: None,
            }),
        }
    }

    /// The instant this attempt may go.
    pub(super) fn reserve(&self) -> Instant {
        let now = Instant::now();
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let mut at = now;
        if let Some(p) = st.paused_until {
            if p > now {
                at = p;
            } else {
                st.paused_until = None;
            }
        }
        if let Some(iv) = self.interval {
            at = at.max(st.next);
            st.next = at + iv;
        }
        at
    }

    pub(super) fn pause_until(&self, until: Instant) {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        st.paused_until = Some(st.paused_until.map_or(until, |p| p.max(until)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gate_spaces_attempts() {
        let g = Gate::new(Some(10.0));
        let a = g.reserve();
        let b = g.reserve();
        let c = g.reserve();
        assert!(b.duration_since(a) >= Duration::from_millis(99));
        assert!(c.duration_since(b) >= Duration::from_millis(99));
        let g = Gate::new(None);
        g.pause_until(Instant::now() + Duration::from_secs(5));
        assert!(g.reserve() > Instant::now() + Duration::from_secs(4));
    }
}

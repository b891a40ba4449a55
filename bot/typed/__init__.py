"""Typed questions: spelling (``text``), stems (``stems``), concepts and rules (``matcher``), the
n-gram fallback (``similar``) and the evaluation on held-out messages (``evaluate``)."""

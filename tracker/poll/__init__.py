"""Polling: which jobs (``jobs``), one cycle of a job (``cycle``), the long-lived APScheduler service
(``service``) and what ``tracker status`` reads of it (``status``)."""

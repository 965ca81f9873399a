"""briefgen: a static news-briefing site generator where every statement cites its evidence."""

__version__ = "0.1.0"

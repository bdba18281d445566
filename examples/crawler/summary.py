"""No `async` keyword in this file, yet it iterates an async generator from streams.py."""
from crawler.streams import fetch_pages


def titles(urls):
    return [page.upper() for page in fetch_pages(urls)]

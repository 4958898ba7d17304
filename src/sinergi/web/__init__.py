"""Sinergi web application: server-rendered pages, static assets, maps and charts."""

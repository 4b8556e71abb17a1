"""Kaspi Pay merchant API (Kaspi QR): the shape in ../shared/KASPI.md, one client, one CLI."""

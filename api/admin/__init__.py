"""The web admin (sqladmin) mounted at /admin: login, scoped CRUD, property and analytics pages."""

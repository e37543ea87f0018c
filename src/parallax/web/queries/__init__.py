"""Read-only repositories of the web app: the SQL behind each page, where no room offers a service yet."""

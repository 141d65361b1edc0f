"""The SQLite database: connection and migrations, the repository, the publisher, the seed."""

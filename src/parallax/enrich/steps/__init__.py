"""Small pipeline steps that need no trained model of their own (language detection)."""

"""The Dutch words people read: labels, nouns, record lines and change sentences, one copy."""

"""The read stage: files and bytes to text, before any segmentation."""

"""Browser tests: TinCanJS in headless Chromium against a real `lrs-bridge serve`."""

"""The phone number inventory as admins see it: the portal's filters, who holds each
number, which manifest wants it, and the bulk-upload rows for what is missing. Pure."""

// An error as the server worded it (its `message`), announced to screen readers.
export function ErrorNotice({ error, title }: { readonly error: unknown; readonly title?: string }) {
  if (error === undefined || error === null) return null;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div class="notice notice-error" role="alert">
      {title ? <strong>{title}: </strong> : null}{message}
    </div>
  );
}

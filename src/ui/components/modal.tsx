// A modal dialog on the native <dialog> element: showModal() traps focus and
// makes the page behind inert, Escape closes it, and focus returns to what
// opened it.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

interface ModalProps {
  readonly title: string;
  readonly onClose: () => void;
  readonly children: ComponentChildren;
  readonly footer?: ComponentChildren;
  readonly wide?: boolean;
}

export function Modal({ title, onClose, children, footer, wide }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    dialog?.showModal();
    return () => { dialog?.close(); opener?.focus(); };
  }, []);
  return (
    <dialog ref={ref} class={`modal${wide ? ' modal-wide' : ''}`} aria-labelledby="modal-title"
      onCancel={(e) => { e.preventDefault(); onClose(); }}>
      <header class="modal-header">
        <h2 id="modal-title">{title}</h2>
        <button type="button" class="icon-button" aria-label="Close" onClick={onClose}>✕</button>
      </header>
      <div class="modal-body">{children}</div>
      {footer ? <footer class="modal-footer">{footer}</footer> : null}
    </dialog>
  );
}

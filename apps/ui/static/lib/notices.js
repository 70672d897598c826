// The confirmation dialog and the status/alert lines.

/** Shows the <dialog>; resolves true when the person confirms. */
export function confirmAction({ title, body, confirmLabel = 'Confirm' }) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-body').replaceChildren(body);
  document.getElementById('confirm-ok').textContent = confirmLabel;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
  });
}

const timers = new Map();

function show(id, message) {
  const el = document.getElementById(id);
  el.textContent = message;
  clearTimeout(timers.get(id));
  timers.set(
    id,
    setTimeout(() => (el.textContent = ''), 8000),
  );
}

export function notify(message) {
  document.getElementById('alert').textContent = '';
  show('toast', message);
}

export function alertError(message) {
  show('alert', message);
}

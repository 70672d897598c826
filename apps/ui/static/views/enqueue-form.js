// The enqueue form: values go to the server as typed; a rejected field is marked and named.
import { enqueue } from '../lib/actions.js';
import { h } from '../lib/dom.js';

const fields = [
  { name: 'key', label: 'Key', type: 'text', placeholder: 'e.g. tenant-a/db-3' },
  { name: 'priority', label: 'Priority', type: 'number', placeholder: '0' },
  { name: 'delaySeconds', label: 'Delay (seconds)', type: 'number', placeholder: '0' },
];

export function enqueueForm(onDone) {
  const inputs = {};
  const errors = {};
  const rows = fields.map((f) => {
    const id = `enqueue-${f.name}`;
    errors[f.name] = h('p', { id: `${id}-error`, class: 'field-error', hidden: true });
    inputs[f.name] = h('input', {
      id,
      name: f.name,
      type: f.type,
      placeholder: f.placeholder,
      autocomplete: 'off',
      step: f.type === 'number' ? 'any' : undefined,
      'aria-describedby': `${id}-error`,
    });
    return h(
      'div',
      { class: 'field' },
      h('label', { for: id }, f.label),
      inputs[f.name],
      errors[f.name],
    );
  });
  const general = h('p', { class: 'field-error', hidden: true });

  const clearErrors = () => {
    for (const f of fields) {
      errors[f.name].hidden = true;
      inputs[f.name].removeAttribute('aria-invalid');
    }
    general.hidden = true;
  };

  const submit = async (event) => {
    event.preventDefault();
    clearErrors();
    const input = { key: inputs.key.value };
    for (const name of ['priority', 'delaySeconds']) {
      const text = inputs[name].value.trim();
      if (text !== '') input[name] = Number.isNaN(Number(text)) ? text : Number(text);
    }
    try {
      if (await enqueue(input)) {
        for (const f of fields) inputs[f.name].value = '';
        onDone();
      }
    } catch (err) {
      const target = errors[err.field] ? err.field : undefined;
      const line = target ? errors[target] : general;
      line.textContent = err.message;
      line.hidden = false;
      if (target) {
        inputs[target].setAttribute('aria-invalid', 'true');
        inputs[target].focus();
      }
    }
  };

  return h(
    'form',
    {
      class: 'panel enqueue',
      'aria-labelledby': 'enqueue-title',
      novalidate: true,
      onsubmit: submit,
    },
    h('h2', { id: 'enqueue-title' }, 'Enqueue a key'),
    rows,
    general,
    h('button', { type: 'submit', class: 'primary' }, 'Enqueue'),
  );
}

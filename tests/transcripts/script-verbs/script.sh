# The verbs scripts use between steps (issue #12): wait, field selectors.
kubectl apply -f deployment-demo.yaml -f service-rollout.yaml
kubectl wait --for=condition=Available deployment/deployment-demo --timeout=60s
kubectl wait --for=condition=Ready pod -l app=demoapp
kubectl wait --for=jsonpath={.status.readyReplicas}=4 deploy/deployment-demo
kubectl wait --for=jsonpath=.status.availableReplicas deploy/deployment-demo -o name
kubectl wait --for=condition=available deployments --all
kubectl wait --for=condition=Available=false deploy/deployment-demo --timeout=0
kubectl wait --for=condition=Available deploy/nope
kubectl wait --for=delete deploy/nope
kubectl wait --for=condition=Available deployments
kubectl wait --for=condition=Ready pods -l app=nothing
kubectl wait --for=condition=Available
kubectl wait deploy/deployment-demo
kubectl wait --for=bogus deploy/deployment-demo
kubectl wait --for=condition=Available deploy/deployment-demo --timeout=5
kubectl wait --for=jsonpath={.spec}=x deploy/deployment-demo
kubectl wait --for=jsonpath={.status.conditions[*].type}=x deploy/deployment-demo
kubectl wait --for=jsonpath={.a}=1=2 deploy/deployment-demo
kubectl wait --for=condition=Available deploy/deployment-demo svc/demoapp-svc --timeout=3s
kubectl get deploy
kubectl run web --image=nginx --restart=Never
kubectl run bad --image=nginx:nope --restart=Never
sleep 10
kubectl get pods --field-selector=status.phase=Running
kubectl get pods --field-selector status.phase!=Running
kubectl get pods --field-selector=status.phase=Running,metadata.name!=web -o name
kubectl get pods --field-selector=spec.restartPolicy=Never
kubectl get pods --field-selector=x=y
kubectl get deploy --field-selector=status.phase=Running
kubectl get pods -l app=demoapp --field-selector=spec.nodeName=x
kubectl get rs --field-selector=status.replicas=4
kubectl get pods --field-selector=spec.nodeName=k8s-node01
kubectl get pods --field-selector=metadata.namespace=default,spec.schedulerName=default-scheduler,spec.serviceAccountName=default
kubectl get pods -o wide --field-selector=status.podIP!=10.244.1.2
kubectl delete pod web bad --wait=false
kubectl wait --for=delete pod/web pod/bad
kubectl set image deployment/deployment-demo demoapp=ikubernetes/demoapp:v1.1
kubectl wait --for=condition=Available deploy/deployment-demo --timeout=0
kubectl wait --for=jsonpath={.status.updatedReplicas}=4 deploy/deployment-demo --timeout=2m
kubectl get deploy
kubectl delete deploy deployment-demo --wait=false
kubectl wait --for=delete pod -l app=demoapp --timeout=2m
kubectl get pods
